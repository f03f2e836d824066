/**
 * Traversal cases for `resolveUnder` beyond paths.test.ts: dangling and
 * chained symbolic links, and encodings that must not be decoded into a
 * way out.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathEscapeError, resolveUnder } from './paths';
import { tempDir } from './test-support/jobFixture';

let root: { path: string; remove: () => Promise<void> };
let outside: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  root = await tempDir();
  outside = await tempDir();
});
afterEach(async () => {
  await root.remove();
  await outside.remove();
});

describe('resolveUnder against traversal', () => {
  it('refuses a dangling symbolic link that would create a file outside the data directory', async () => {
    await symlink(join(outside.path, 'created-outside.jsonl'), join(root.path, 'out.jsonl'));
    await expect(resolveUnder(root.path, 'out.jsonl')).rejects.toThrow(/symbolic link/);
  });

  it('refuses a path under a dangling symbolic link to a directory outside', async () => {
    await symlink(join(outside.path, 'not-yet'), join(root.path, 'out'));
    await expect(resolveUnder(root.path, 'out/part-0.jsonl')).rejects.toBeInstanceOf(
      PathEscapeError,
    );
  });

  it('refuses a symbolic link to an existing file outside', async () => {
    await writeFile(join(outside.path, 'secret.txt'), 'secret');
    await symlink(join(outside.path, 'secret.txt'), join(root.path, 'in.txt'));
    await expect(resolveUnder(root.path, 'in.txt')).rejects.toThrow(/symbolic link/);
  });

  it('refuses a chain of links that ends outside, even through a relative link', async () => {
    await mkdir(join(root.path, 'a'));
    await symlink('../b', join(root.path, 'a', 'hop'));
    await symlink(outside.path, join(root.path, 'b'));
    await expect(resolveUnder(root.path, 'a/hop/x.jsonl')).rejects.toThrow(/symbolic link/);
  });

  it.each([
    ['%2e%2e%2fescape'],
    ['..%2F..%2Fetc%2Fpasswd'],
    ['%252e%252e/escape'],
    ['C:\\Windows\\win.ini'],
    ['c:/Windows'],
    ['\\\\server\\share'],
    ['a/b/../../../escape'],
    ['a/..'],
  ])('refuses %j', async (path) => {
    await expect(resolveUnder(root.path, path)).rejects.toBeInstanceOf(PathEscapeError);
  });

  it('refuses what is not a string', async () => {
    for (const value of [undefined, null, 42, ['a'], { path: 'a' }])
      await expect(resolveUnder(root.path, value)).rejects.toBeInstanceOf(PathEscapeError);
  });

  it('keeps a literal "~" or full-width dots inside the data directory (no shell or Unicode folding here)', async () => {
    expect(await resolveUnder(root.path, '~/x')).toMatch(
      new RegExp(`${root.path.split('/').pop()}/~/x$`),
    );
    expect(await resolveUnder(root.path, '\uFF0E\uFF0E/x')).toMatch(/\uFF0E\uFF0E\/x$/);
  });
});
