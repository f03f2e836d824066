/**
 * @module
 * Starts the real JobManager (and TaskManagers) as child processes on
 * 127.0.0.1 with a temp data dir, the way the SDK is used in production.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const JOBMANAGER_MAIN = join(REPO_ROOT, 'apps/jobmanager/src/main.ts');
export const TASKMANAGER_MAIN = join(REPO_ROOT, 'apps/taskmanager/src/main.ts');

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface RunningJobManager extends RunningProcess {
  readonly url: string;
  readonly dataDir: string;
  /** The admin token, when the server wrote one. */
  readonly token: string | undefined;
}

function startProcess(
  script: string,
  args: string[],
  ready: RegExp,
  timeoutMs: number,
): Promise<{ proc: RunningProcess; match: RegExpMatchArray }> {
  // The caller's FLINKNET_* settings must not leak into the cluster under test.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('FLINKNET_')),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...env, NODE_ENV: 'test', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const proc: RunningProcess = {
    child,
    output: () => output,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      void proc.stop();
      rejectStart(new Error(`${script} did not get ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({ proc, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(
        new Error(`${script} exited (${code ?? signal}) before it was ready:\n${output}`),
      );
    });
  });
}

/** Starts `apps/jobmanager/src/main.ts` on an ephemeral port with a fresh SQLite data dir. */
export async function startJobManager(timeoutMs = 30_000): Promise<RunningJobManager> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flinknet-test-jm-'));
  try {
    const { proc, match } = await startProcess(
      JOBMANAGER_MAIN,
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
      /JobManager listening on (http:\/\/[^\s]+)/,
      timeoutMs,
    );
    const tokenFile = join(dataDir, 'admin.token');
    const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
    return {
      ...proc,
      url: (match[1] as string).replace(/\/$/, ''),
      dataDir,
      token,
      async stop() {
        await proc.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts `apps/taskmanager/src/main.ts` against a JobManager; ready once it has registered. */
export async function startTaskManager(
  jobManager: RunningJobManager,
  slots = 4,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flinknet-test-tm-'));
  const args = ['--jobmanager', jobManager.url, '--slots', String(slots), '--data-dir', dataDir];
  if (jobManager.token) args.push('--token', jobManager.token);
  try {
    const { proc } = await startProcess(
      TASKMANAGER_MAIN,
      args,
      /TaskManager \S+ registered/,
      timeoutMs,
    );
    return {
      ...proc,
      async stop() {
        await proc.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls `check` every 20 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
