/**
 * @module
 * First start: when the store has no token at all, an admin token is
 * created and its secret written to `<dataDir>/admin.token` (mode 0600),
 * where the local cluster's TaskManagers and the CLI pick it up.
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRepository } from '@flinknet/store';
import { generateTokenId, generateTokenSecret, hashTokenSecret } from './tokenSecrets';

export const ADMIN_TOKEN_FILE = 'admin.token';

/** What `ensureAdminToken` did: `secret` only when it created the token just now. */
export interface AdminBootstrap {
  file: string;
  created: boolean;
  secret?: string;
}

/** Creates the first admin token when the store has none; otherwise does nothing. */
export function ensureAdminToken(store: JobRepository, dataDir: string): AdminBootstrap {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (store.countTokens() > 0) return { file, created: false };
  const secret = generateTokenSecret();
  mkdirSync(dataDir, { recursive: true });
  // Written under a temporary name with 0600 from the start, then renamed: never readable by others, never half-written.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  // The file goes first: a crash before the token is stored leaves the store empty, so the next start writes a new one.
  renameSync(tmp, file);
  store.createToken({
    tokenId: generateTokenId(),
    name: 'admin (bootstrap)',
    role: 'admin',
    hash: hashTokenSecret(secret),
    expiresAt: null,
  });
  return { file, created: true, secret };
}
