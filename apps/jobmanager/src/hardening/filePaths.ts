/**
 * @module
 * Path properties checked at submit: a `file` source or sink reads and
 * writes under its TaskManager's data dir, so its `path` must be a plain,
 * normalised, relative path. The runtime checks again at the TaskManager
 * (including symbolic links, which only it can see); refusing here means a
 * bad path never reaches the store or a TaskManager.
 */
import { posix } from 'node:path';
import type { JobDefinitionDto, ValidationIssueDto } from '@flinknet/contracts';

/** Operators whose `path` property names a file location. */
const PATH_OPERATORS = new Set(['file']);
const MAX_PATH_LENGTH = 1024;

/** Why `path` is not a safe relative path, or undefined when it is. */
export function unsafePathReason(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'must be a string';
  if (path.trim() === '') return 'must not be empty';
  if (path.length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`;
  // Compatibility forms (full-width dots and slashes, ...) are checked as well: some layers fold them.
  for (const form of new Set([path, path.normalize('NFKC')])) {
    const reason = plainReason(form);
    if (reason) return reason;
  }
  return undefined;
}

function plainReason(path: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'must not contain NUL or control characters';
  if (/%[0-9a-fA-F]{2}/.test(path)) return 'must not contain percent-encoding; give the plain path';
  if (path.includes('\\')) return 'must not contain a backslash; use "/"';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'must be relative to the data directory, not absolute';
  if (path.includes('~')) return 'must not contain "~"';
  const segments = path.split('/');
  if (segments.includes('..')) return 'must not contain ".." segments';
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (segments.includes('.') || posix.normalize(trimmed) !== trimmed)
    return 'must be normalised (no "." or empty segments)';
  return undefined;
}

/** One 422 issue per unsafe `path` of a `file` step (and chained operator) of `definition`. */
export function filePathIssues(definition: JobDefinitionDto): ValidationIssueDto[] {
  const issues: ValidationIssueDto[] = [];
  const check = (typeName: string, properties: Record<string, unknown> | undefined, at: string) => {
    if (!PATH_OPERATORS.has(typeName)) return;
    const reason = unsafePathReason(properties?.path);
    if (reason) issues.push({ path: `${at}/operatorProperties/path`, message: `path ${reason}` });
  };
  definition.steps.forEach((step, i) => {
    check(step.typeName, step.operatorProperties, `steps/${i}`);
    (step.chainedOperators ?? []).forEach((chained, j) => {
      check(chained.typeName, chained.operatorProperties, `steps/${i}/chainedOperators/${j}`);
    });
  });
  return issues;
}
