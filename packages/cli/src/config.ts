/**
 * @module
 * Where the CLI connects and with which token: flags, then environment, then
 * the local cluster's defaults (DESIGN.md section 7).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEFAULT_URL = 'http://127.0.0.1:8081';

export interface ConnectionFlags {
  url?: string;
  token?: string;
}

export interface Connection {
  url: string;
  token: string | undefined;
}

/** The token file of the local cluster: `$FLINKNET_DATA_DIR/admin.token` (default `.flinknet/admin.token`). */
export function tokenFilePath(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  return join(resolve(cwd, env.FLINKNET_DATA_DIR || '.flinknet'), 'admin.token');
}

/** Resolves the URL and token: `--url`/`--token`, else FLINKNET_URL/FLINKNET_TOKEN, else the defaults. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Connection {
  const url = flags.url || env.FLINKNET_URL || DEFAULT_URL;
  let token = flags.token || env.FLINKNET_TOKEN || undefined;
  if (token === undefined) {
    const file = tokenFilePath(env, cwd);
    if (existsSync(file)) token = readFileSync(file, 'utf8').trim() || undefined;
  }
  return { url, token };
}
