/**
 * The JobManager as a process: it prints where it listens, and SIGTERM
 * drains in-flight requests and closes the database cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@flinknet/store';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, waitFor, withToken } from '../src/testing/fixtures';
import { ScriptedTaskManager } from '../src/testing/scriptedTaskManager';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) removeDir(dataDir);
});

describe('jobmanager process', { timeout: 30_000 }, () => {
  it('prints its URL for port 0 and drains on SIGTERM, answering an in-flight long-poll', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flinknet-jm-proc-'));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, '--data-dir', dataDir, '--log-level', 'warn'],
      {
        env: { ...process.env, FLINKNET_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    const url = await waitFor(
      () => /JobManager listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1],
      'the listening line',
      20_000,
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
    const tm = new ScriptedTaskManager({
      id: 'tm-1',
      fetch: withToken((path, init) => fetch(url + path, init), token),
    });
    await tm.register();
    const poll = tm.poll(20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');
    await expect(poll).resolves.toEqual({ registered: true, commands: [] });
    expect(await exited).toBe(0);

    const store = openStore({ file: join(dataDir, 'flinknet.db') });
    expect(store.getTaskManager('tm-1')?.slots).toBe(4);
    store.close();
  });
});
