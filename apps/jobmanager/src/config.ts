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
}

export const DEFAULT_SETTINGS = {
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 10_000,
  checkpointTimeoutMs: 60_000,
  checkpointsRetained: 5,
  cancelTimeoutMs: 5000,
  schedulePeriodMs: 1000,
  sseHeartbeatMs: 15_000,
  bodyLimitBytes: 1024 * 1024,
  internalBodyLimitBytes: 64 * 1024 * 1024,
} as const satisfies ClusterSettings;

/** Where and how the process listens. */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
}

const USAGE =
  'usage: jobmanager [--host <addr>] [--port <n>] [--data-dir <dir>] [--log-level <level>]';

/** Reads flags > environment > defaults; throws with a usage line on a bad flag or port. */
export function resolveServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--(host|port|data-dir|log-level)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value\n${USAGE}`);
    flags.set(match[1]!, value);
  }
  const portText = flags.get('port') ?? env.FLINKNET_PORT ?? '8081';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port "${portText}"\n${USAGE}`);
  return {
    host: flags.get('host') ?? env.FLINKNET_HOST ?? '127.0.0.1',
    port,
    dataDir: flags.get('data-dir') ?? env.FLINKNET_DATA_DIR ?? '.flinknet',
    logLevel: flags.get('log-level') ?? env.FLINKNET_LOG_LEVEL ?? 'info',
  };
}
