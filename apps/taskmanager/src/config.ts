/**
 * @module
 * Command-line and environment configuration of the TaskManager process.
 * Flags win over environment variables, which win over defaults.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What a TaskManager needs to start; the parsed form of the command line. */
export interface TaskManagerConfig {
  jobManagerUrl: string;
  token: string | undefined;
  slots: number;
  plugins: string[];
  dataDir: string;
  id: string | undefined;
}

/** A command line that cannot be run; main prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE =
  'usage: flinknet-taskmanager [--jobmanager URL] [--token T] [--slots N] [--plugin FILE ...] [--data-dir DIR] [--id ID]';

const DEFAULTS = {
  jobManagerUrl: 'http://127.0.0.1:8081',
  slots: 4,
  dataDir: '.flinknet/taskmanager-data',
};

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses argv (without node and script) and env into a config, or throws a UsageError. */
export function parseConfig(
  argv: readonly string[],
  rawEnv: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): TaskManagerConfig {
  // An empty variable counts as unset, as shells make `FLINKNET_URL= cmd` easy.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== ''));
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const url = values.jobmanager ?? env.FLINKNET_URL ?? DEFAULTS.jobManagerUrl;
  let jobManagerUrl: URL;
  try {
    jobManagerUrl = new URL(url);
  } catch {
    throw new UsageError(`--jobmanager must be an http(s) URL, got "${url}"`);
  }
  if (jobManagerUrl.protocol !== 'http:' && jobManagerUrl.protocol !== 'https:') {
    throw new UsageError(`--jobmanager must be an http(s) URL, got "${url}"`);
  }
  const slotsText = values.slots ?? env.FLINKNET_SLOTS ?? String(DEFAULTS.slots);
  const slots = Number(slotsText);
  if (!/^\d+$/.test(slotsText) || slots < 1 || slots > 1024) {
    throw new UsageError(`--slots must be an integer from 1 to 1024, got "${slotsText}"`);
  }
  if (values.id !== undefined && !ID_PATTERN.test(values.id)) {
    throw new UsageError(`--id must be 1-64 letters, digits, ".", "_" or "-", got "${values.id}"`);
  }
  const token = values.token ?? env.FLINKNET_TOKEN;
  return {
    jobManagerUrl: jobManagerUrl.href.replace(/\/+$/, ''),
    token: token === '' ? undefined : token,
    slots,
    plugins: (values.plugin ?? []).map((p) => resolve(cwd, p)),
    dataDir: resolve(cwd, values['data-dir'] ?? env.FLINKNET_DATA_DIR ?? DEFAULTS.dataDir),
    id: values.id,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      jobmanager: { type: 'string' },
      token: { type: 'string' },
      slots: { type: 'string' },
      plugin: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** True when the command line asks for help. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** A TaskManager id unique enough for one cluster: host, pid and a random suffix. */
export function defaultTaskManagerId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 32) || 'host';
  return `tm-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
