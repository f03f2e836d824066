/**
 * @module
 * The processes a benchmark starts: the real JobManager and TaskManagers
 * (from source through tsx) and the baseline servers. Every child is tracked
 * so the suite kills all of them on exit, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The apps as they are deployed: the bundled dist builds (`pnpm bench` builds
// them first). FLINKNET_BENCH_FROM_SOURCE=1 measures the sources under tsx,
// as `pnpm start` runs them.
export const FROM_SOURCE = process.env.FLINKNET_BENCH_FROM_SOURCE === '1';
const JOBMANAGER_MAIN = join(
  ROOT,
  FROM_SOURCE ? 'apps/jobmanager/src/main.ts' : 'apps/jobmanager/dist/main.js',
);
const TASKMANAGER_MAIN = join(
  ROOT,
  FROM_SOURCE ? 'apps/taskmanager/src/main.ts' : 'apps/taskmanager/dist/main.js',
);

const live = new Set<ChildProcess>();

/**
 * A child process whose output goes to a log file: the bench process must not
 * spend its CPU parsing a server's request log while it measures that server,
 * and a full pipe must never block the server.
 */
export class ManagedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    live.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (it did not start)`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Every line the process printed so far. */
  output(): string[] {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n') : [];
  }

  /** The last lines of output, for error messages. */
  tail(lines = 30): string {
    return this.output()
      .slice(-lines)
      .map((l) => `[${this.name}] ${l}`)
      .join('\n');
  }

  /** kill -9, as when a machine dies. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Resolves with the first output line matching `pattern`; fails on exit or after `timeoutMs`. */
  async waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.output()) {
        const match = pattern.exec(line);
        if (match) return match;
      }
      if (!this.running)
        throw new Error(`${this.name} exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.name} did not print ${pattern} in ${timeoutMs} ms:\n${this.tail()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * Starts `node [nodeArgs] [--import tsx] script ...args` with the FlinkNet
 * environment variables cleared; its output goes to `<logDir>/<name>.log`.
 */
export function spawnNode(
  name: string,
  script: string,
  args: readonly string[],
  options: { logDir: string; nodeArgs?: readonly string[] | undefined },
): ManagedProcess {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeArgs ?? []),
        // Built .js runs with plain node; TypeScript sources go through tsx.
        ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []),
        script,
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          FLINKNET_URL: '',
          FLINKNET_TOKEN: '',
          FLINKNET_DATA_DIR: '',
          FLINKNET_PORT: '',
          FLINKNET_HOST: '',
        },
        stdio: ['ignore', fd, fd],
      },
    );
    return new ManagedProcess(name, child, logFile);
  } finally {
    closeSync(fd);
  }
}

export interface JobManagerProcess extends ManagedProcess {
  readonly url: string;
  /** The admin token, when the JobManager writes one. */
  readonly token: string | undefined;
}

/** Node flags that write a CPU profile into `<profileDir>/<name>/` at exit; none without a profile dir. */
export function profileArgs(profileDir: string | null, name: string): string[] {
  return profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', join(ROOT, profileDir, name)];
}

/**
 * Starts the real JobManager on an ephemeral port of 127.0.0.1 with its
 * database at `<dataDir>/flinknet.db`; resolves once it listens.
 */
export async function startJobManager(
  dataDir: string,
  nodeArgs: readonly string[] = [],
): Promise<JobManagerProcess> {
  if (!existsSync(JOBMANAGER_MAIN))
    throw new NotAvailableError(`the JobManager (${JOBMANAGER_MAIN}) does not exist yet`);
  const jm = spawnNode(
    'jobmanager',
    JOBMANAGER_MAIN,
    ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    {
      logDir: join(dataDir, 'logs'),
      nodeArgs,
    },
  );
  try {
    const match = await jm.waitForLine(/JobManager listening on (http:\/\/\S+)/);
    const tokenFile = join(dataDir, 'admin.token');
    const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
    return Object.assign(jm, { url: match[1]!, token });
  } catch (error) {
    await jm.kill();
    throw error;
  }
}

/** Starts a real TaskManager; resolves once it says it registered. */
export async function startTaskManager(options: {
  url: string;
  token: string | undefined;
  dataDir: string;
  id: string;
  slots?: number;
}): Promise<ManagedProcess> {
  if (!existsSync(TASKMANAGER_MAIN))
    throw new NotAvailableError(`the TaskManager (${TASKMANAGER_MAIN}) does not exist yet`);
  const args = [
    '--jobmanager',
    options.url,
    '--slots',
    String(options.slots ?? 4),
    '--data-dir',
    options.dataDir,
    '--id',
    options.id,
  ];
  if (options.token) args.push('--token', options.token);
  const tm = spawnNode(options.id, TASKMANAGER_MAIN, args, {
    logDir: join(options.dataDir, 'logs'),
  });
  try {
    await tm.waitForLine(new RegExp(`TaskManager ${options.id} registered`));
    return tm;
  } catch (error) {
    await tm.kill();
    throw error;
  }
}

/** Kills every child still running (the suite's last step, also on Ctrl-C). */
export async function killAllChildren(): Promise<void> {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

/** A part of the system a measure needs is not there yet: the measure is reported as not run. */
export class NotAvailableError extends Error {
  override readonly name = 'NotAvailableError';
}

/** Resident set size of a process in bytes, from /proc (Linux). */
/**
 * CPU time (user + system) a process has used so far, in ms, from
 * /proc/<pid>/stat (clock ticks of 10 ms, Linux's USER_HZ). Per-request CPU
 * is a steadier figure than requests per second on a shared machine: it does
 * not count the time the process waited for a core.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
