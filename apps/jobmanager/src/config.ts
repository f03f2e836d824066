/**
 * @module
 * JobManager settings: defaults per DESIGN.md §7, overridden by environment
 * variables, overridden by command-line flags.
 */

/** Timing and retention knobs of the cluster side. */
export interface ClusterSettings {
  /** How often TaskManagers should heartbeat. Default 1000 ms. */
  heartbeatIntervalMs: number;
  /** Silence after which a TaskManager is LOST. Default 10 000 ms. */
  heartbeatTimeoutMs: number;
  /**
   * A TaskManager whose long-poll connection dropped (its process died: the
   * kernel closes the socket) and that has not been heard from since is LOST
   * after this, long before the heartbeat timeout. Default 1500 ms.
   */
  pollDropGraceMs: number;
  /** A checkpoint not complete after this FAILS. Default 60 000 ms. */
  checkpointTimeoutMs: number;
  /** Completed checkpoints kept per job. Default 5. */
  checkpointsRetained: number;
  /** CANCELLING becomes CANCELED after this even without confirmation. Default 5000 ms. */
  cancelTimeoutMs: number;
  /** How often waiting jobs are re-checked against free slots. Default 1000 ms. */
  schedulePeriodMs: number;
  /** Comment lines on idle SSE streams. Default 15 000 ms. */
  sseHeartbeatMs: number;
  /** Public body limit. Default 1 MiB. */
  bodyLimitBytes: number;
  /** Body limit under /internal/v1 (snapshots). Default 64 MiB. */
  internalBodyLimitBytes: number;
  /** Deepest JSON nesting of public bodies. Default 64. */
  jsonDepthLimit: number;
  /** Deepest JSON nesting under /internal/v1 (records and state in reports). Default 256. */
  internalJsonDepthLimit: number;
  /** Public routes not answered within this get 504 (not SSE, not /internal/v1). Default 30 000 ms. */
  requestTimeoutMs: number;
}

export const DEFAULT_SETTINGS = {
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 10_000,
  pollDropGraceMs: 1500,
  checkpointTimeoutMs: 60_000,
  checkpointsRetained: 5,
  cancelTimeoutMs: 5000,
  schedulePeriodMs: 1000,
  sseHeartbeatMs: 15_000,
  bodyLimitBytes: 1024 * 1024,
  internalBodyLimitBytes: 64 * 1024 * 1024,
  jsonDepthLimit: 64,
  internalJsonDepthLimit: 256,
  requestTimeoutMs: 30_000,
} as const satisfies ClusterSettings;

/** Where and how the process listens. */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  /** Bearer-token auth; off only on a loopback host (`--no-auth`, FLINKNET_AUTH=off). */
  auth: boolean;
  /** Origins allowed by CORS; empty = CORS off (`--cors-origin`, FLINKNET_CORS_ORIGINS, comma-separated). */
  corsOrigins: string[];
}

const USAGE =
  'usage: jobmanager [--host <addr>] [--port <n>] [--data-dir <dir>] [--log-level <level>] [--no-auth] [--cors-origin <origin,...>]';

const VALUE_FLAGS = /^--(host|port|data-dir|log-level|cors-origin)(?:=(.*))?$/;

/** Reads flags > environment > defaults; throws with a usage line on a bad flag, port, auth mode or origin. */
export function resolveServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const flags = new Map<string, string>();
  const corsFlags: string[] = [];
  let noAuth = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-auth') {
      noAuth = true;
      continue;
    }
    const match = VALUE_FLAGS.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value\n${USAGE}`);
    if (match[1] === 'cors-origin') corsFlags.push(value);
    else flags.set(match[1]!, value);
  }
  const portText = flags.get('port') ?? env.FLINKNET_PORT ?? '8081';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port "${portText}"\n${USAGE}`);
  const authText = (env.FLINKNET_AUTH ?? 'on').trim().toLowerCase();
  if (!['on', 'off', ''].includes(authText))
    throw new Error(`invalid FLINKNET_AUTH "${env.FLINKNET_AUTH}": use on or off\n${USAGE}`);
  const corsText = corsFlags.length > 0 ? corsFlags.join(',') : (env.FLINKNET_CORS_ORIGINS ?? '');
  return {
    host: flags.get('host') ?? env.FLINKNET_HOST ?? '127.0.0.1',
    port,
    dataDir: flags.get('data-dir') ?? env.FLINKNET_DATA_DIR ?? '.flinknet',
    logLevel: flags.get('log-level') ?? env.FLINKNET_LOG_LEVEL ?? 'info',
    auth: !noAuth && authText !== 'off',
    corsOrigins: parseOrigins(corsText),
  };
}

/** Comma-separated origins (`https://dash.example.com`); each must be scheme://host[:port] without a path. */
export function parseOrigins(text: string): string[] {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`invalid CORS origin "${origin}": expected e.g. https://dash.example.com`);
    }
    if (parsed.origin !== origin)
      throw new Error(
        `invalid CORS origin "${origin}": give scheme://host[:port] only (did you mean ${parsed.origin}?)`,
      );
  }
  return origins;
}
