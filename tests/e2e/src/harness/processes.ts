/**
 * @module
 * Spawns the real JobManager and TaskManager processes from source (through
 * tsx) and keeps track of them so every test can kill what it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const JOBMANAGER_MAIN = join(ROOT, 'apps/jobmanager/src/main.ts');
const TASKMANAGER_MAIN = join(ROOT, 'apps/taskmanager/src/main.ts');

/** A child process with its output kept for failure messages. */
export class ManagedProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (process.env.FLINKNET_E2E_VERBOSE) console.log(`[${name}] ${line}`);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of output, for assertion messages. */
  tail(lines = 40): string {
    return this.output
      .slice(-lines)
      .map((l) => `[${this.name}] ${l}`)
      .join('\n');
  }

  /** kill -9: no chance to clean up, as when a machine dies. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  async terminate(
    graceMs = 10_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }

  /** Resolves with the first match of `pattern` in the output, or fails on exit or timeout. */
  async waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.output) {
        const match = pattern.exec(line);
        if (match) return match;
      }
      if (!this.running)
        throw new Error(`${this.name} exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.name} did not print ${pattern} in ${timeoutMs} ms:\n${this.tail()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function spawnTs(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ManagedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, FLINKNET_URL: '', FLINKNET_TOKEN: '', FLINKNET_DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ManagedProcess(name, child);
}

export interface JobManagerProcess extends ManagedProcess {
  url: string;
  /** The admin token, once the JobManager writes one (auth). */
  token: string | undefined;
}

/** Starts `apps/jobmanager/src/main.ts` on an ephemeral port; resolves once it listens. */
export async function spawnJobManager(dataDir: string, port = 0): Promise<JobManagerProcess> {
  const jm = spawnTs('jobmanager', JOBMANAGER_MAIN, [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
  ]) as JobManagerProcess;
  const match = await jm.waitForLine(/JobManager listening on (http:\/\/\S+)/);
  jm.url = match[1]!;
  const tokenFile = join(dataDir, 'admin.token');
  jm.token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  return jm;
}

export interface TaskManagerSpawnOptions {
  url: string;
  dataDir: string;
  id: string;
  token?: string | undefined;
  slots?: number;
  plugins?: string[];
}

/** Starts `apps/taskmanager/src/main.ts`; resolves once it says it registered. */
export async function spawnTaskManager(options: TaskManagerSpawnOptions): Promise<ManagedProcess> {
  const args = [
    '--jobmanager',
    options.url,
    '--slots',
    String(options.slots ?? 4),
    '--data-dir',
    options.dataDir,
    '--id',
    options.id,
    ...(options.token ? ['--token', options.token] : []),
    ...(options.plugins ?? []).flatMap((p) => ['--plugin', p]),
  ];
  const tm = spawnTs(options.id, TASKMANAGER_MAIN, args);
  await tm.waitForLine(new RegExp(`TaskManager ${options.id} registered`));
  return tm;
}
