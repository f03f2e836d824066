/**
 * @module
 * Confines user-given file paths to the TaskManager data dir: no absolute
 * paths, no `..`, no percent-encoded tricks, no symlink that leads out.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A path that leaves the data directory (or is malformed). */
export class PathEscapeError extends Error {
  override readonly name = 'PathEscapeError';
}

/**
 * Resolves `userPath` under `dataDir`, following symlinks of the part that
 * exists; throws PathEscapeError when the result is not inside `dataDir`.
 */
export async function resolveUnder(dataDir: string, userPath: unknown): Promise<string> {
  if (typeof userPath !== 'string' || userPath.trim() === '')
    throw new PathEscapeError('path must be a non-empty string');
  const bad = (why: string) => new PathEscapeError(`path ${JSON.stringify(userPath)} ${why}`);
  if (userPath.includes('\0')) throw bad('contains a NUL byte');
  if (/%[0-9a-fA-F]{2}/.test(userPath)) throw bad('contains percent-encoding; give the plain path');
  if (userPath.includes('\\')) throw bad('contains a backslash');
  if (isAbsolute(userPath) || /^[A-Za-z]:/.test(userPath))
    throw bad('is absolute; give a path relative to the data directory');
  if (userPath.split('/').includes('..')) throw bad('escapes the data directory ("..")');
  const root = await realpath(resolve(dataDir));
  const target = resolve(root, userPath);
  if (!inside(root, target)) throw bad('escapes the data directory');
  const real = await realpathOfExisting(target);
  if (real === DANGLING) throw bad('goes through a symbolic link whose target does not exist');
  if (!inside(root, real)) throw bad('escapes the data directory through a symbolic link');
  return target;
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Marks a path through a dangling symbolic link: writing there would create the link's target, wherever it is. */
const DANGLING = Symbol('dangling symbolic link');

/** The real path of `target`, or of its deepest existing ancestor joined with the rest. */
async function realpathOfExisting(target: string): Promise<string | typeof DANGLING> {
  let current = target;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = await realpath(current);
      return rest.length === 0 ? real : resolve(real, ...rest.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (await isSymlink(current)) return DANGLING;
      const parent = dirname(current);
      if (parent === current) return target;
      rest.push(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      current = parent;
    }
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
