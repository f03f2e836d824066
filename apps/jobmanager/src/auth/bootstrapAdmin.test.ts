import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@flinknet/store';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir } from '../testing/fixtures';
import { ensureAdminToken } from './bootstrapAdmin';
import { hashTokenSecret } from './tokenSecrets';

let dir: string;
let store: Store;
afterEach(() => {
  store.close();
  removeDir(dir);
});

describe('ensureAdminToken', () => {
  it('creates one admin token on an empty store, writes its secret with mode 0600, and stores only the hash', () => {
    dir = mkdtempSync(join(tmpdir(), 'flinknet-boot-'));
    store = openStore({ file: join(dir, 'flinknet.db') });
    const first = ensureAdminToken(store, dir);
    expect(first.created).toBe(true);
    expect(readFileSync(first.file, 'utf8')).toBe(`${first.secret}\n`);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const [token] = store.listTokens();
    expect(token).toMatchObject({
      role: 'admin',
      hash: hashTokenSecret(first.secret!),
      expiresAt: null,
    });

    const second = ensureAdminToken(store, dir);
    expect(second).toEqual({ file: first.file, created: false });
    expect(store.countTokens()).toBe(1);
    expect(readFileSync(first.file, 'utf8')).toBe(`${first.secret}\n`);
  });
});
