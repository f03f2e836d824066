import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_URL, resolveConnection } from './config';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'flinknet-cli-config-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('resolveConnection', () => {
  it('prefers flags over the environment', () => {
    const env = { FLINKNET_URL: 'http://env:1', FLINKNET_TOKEN: 'env-token' };
    expect(resolveConnection({ url: 'http://flag:2', token: 'flag-token' }, env, cwd)).toEqual({
      url: 'http://flag:2',
      token: 'flag-token',
    });
    expect(resolveConnection({}, env, cwd)).toEqual({ url: 'http://env:1', token: 'env-token' });
  });

  it('falls back to the local cluster URL and .flinknet/admin.token', () => {
    expect(resolveConnection({}, {}, cwd)).toEqual({ url: DEFAULT_URL, token: undefined });
    mkdirSync(join(cwd, '.flinknet'));
    writeFileSync(join(cwd, '.flinknet', 'admin.token'), 'local-secret\n');
    expect(resolveConnection({}, {}, cwd)).toEqual({ url: DEFAULT_URL, token: 'local-secret' });
  });

  it('reads the token file of FLINKNET_DATA_DIR', () => {
    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'data', 'admin.token'), 'dir-secret');
    expect(resolveConnection({}, { FLINKNET_DATA_DIR: 'data' }, cwd).token).toBe('dir-secret');
  });
});
