/**
 * @module
 * Runs the built `flinknet` bin as a child process.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../dist/bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** What the command printed so far. */
  stdout(): string;
  /** Resolves when the command exits. */
  result: Promise<CliResult>;
}

/** Runs `node dist/bin.js ...args` with a clean FLINKNET_* environment plus `env`. */
export function runCli(...args: Parameters<typeof startCli>): Promise<CliResult> {
  return startCli(...args).result;
}

/** Starts the bin and gives access to its output while it runs (watch, logs --follow). */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string; timeoutMs?: number } = {},
): RunningCli {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('FLINKNET_')) delete env[key];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? resolve(import.meta.dirname, '..'),
    env: { ...env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(options.stdin ?? '');
  const result = new Promise<CliResult>((resolveRun, rejectRun) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectRun(
        new Error(
          `flinknet ${args.join(' ')} did not exit within ${options.timeoutMs ?? 30_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolveRun({ code, stdout, stderr }));
    });
  });
  return { stdout: () => stdout, result };
}
