import { mkdir, symlink } from 'node:fs/promises';
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

describe('resolveUnder', () => {
  it('resolves a relative path inside the data directory, existing or not', async () => {
    expect(await resolveUnder(root.path, 'out/clicks')).toMatch(/out\/clicks$/);
    expect(await resolveUnder(root.path, './a/b.jsonl')).toMatch(/a\/b\.jsonl$/);
  });

  it.each([
    ['../escape', /escapes the data directory/],
    ['a/../../escape', /escapes the data directory/],
    ['/etc/passwd', /is absolute/],
    ['%2e%2e/escape', /percent-encoding/],
    ['a%2F..%2F..%2Fetc', /percent-encoding/],
    ['..\\escape', /backslash/],
    ['a\0b', /NUL/],
    ['', /non-empty/],
  ])('refuses %j', async (path, message) => {
    await expect(resolveUnder(root.path, path)).rejects.toThrow(message);
    await expect(resolveUnder(root.path, path)).rejects.toBeInstanceOf(PathEscapeError);
  });

  it('refuses a symbolic link that leads out of the data directory', async () => {
    await symlink(outside.path, join(root.path, 'link'));
    await expect(resolveUnder(root.path, 'link/file.jsonl')).rejects.toThrow(/symbolic link/);
  });

  it('follows a symbolic link that stays inside', async () => {
    await mkdir(join(root.path, 'real'));
    await symlink(join(root.path, 'real'), join(root.path, 'alias'));
    await expect(resolveUnder(root.path, 'alias/x.jsonl')).resolves.toMatch(/alias\/x\.jsonl$/);
  });
});
