import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempStores } from './test-support/fixtures';

const packageRoot = join(import.meta.dirname, '..');
const childScript = join(import.meta.dirname, 'test-support', 'createJobsChild.ts');

/**
 * Runs the child, collects its acks and sends SIGKILL as soon as `killAfter`
 * acks were read. Resolves with the acknowledged job ids once the child is dead.
 */
function runAndKill(
  file: string,
  jobs: number,
  killAfter: number,
  children: ChildProcess[],
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, file, String(jobs)], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`child sent ${acked.length} of ${killAfter} acks in time; stderr: ${stderr}`),
      );
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const match = /^ack (\S+)$/.exec(line);
        if (match?.[1]) acked.push(match[1]);
        if (acked.length === killAfter) child.kill('SIGKILL');
        newline = buffered.indexOf('\n');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(acked);
      else
        reject(new Error(`child exited with ${code ?? signal} before the kill; stderr: ${stderr}`));
    });
  });
}

describe('durability', () => {
  let temp: TempStores;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    temp = new TempStores();
  });
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    temp.cleanup();
  });

  it('keeps every acknowledged job after the writer is killed with SIGKILL, round after round', async () => {
    const file = join(temp.dir, 'durable.db');
    const acknowledged: string[] = [];
    // Kill right after the first ack, in the middle of a batch, and after the last job while logs are written.
    for (const [jobs, killAfter] of [
      [1, 1],
      [8, 3],
      [5, 5],
      [12, 12],
    ] as const) {
      acknowledged.push(...(await runAndKill(file, jobs, killAfter, children)));
      const store = temp.open('durable.db');
      for (const jobId of acknowledged) {
        expect(store.getJob(jobId)?.status, `job ${jobId}`).toBe('CREATED');
        expect(store.findIdempotencyKey(`key-${jobId}`)?.jobId).toBe(jobId);
        expect(store.listTransitions(jobId)).toHaveLength(1);
      }
      store.close();
    }
    // SIGKILL lands asynchronously: a loaded machine lets the child ack a few more jobs first, all checked above.
    expect(acknowledged.length).toBeGreaterThanOrEqual(1 + 3 + 5 + 12);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  }, 240_000);
});
