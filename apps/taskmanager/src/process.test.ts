import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployCommand, endlessDefinition, JOB_ID } from './testing/commands';
import { FakeJobManager, waitFor } from './testing/fakeJobManager';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

let jobManager: FakeJobManager;
let dataDir: string;
let child: ReturnType<typeof spawn> | undefined;

beforeEach(async () => {
  jobManager = new FakeJobManager();
  await jobManager.listen();
  dataDir = await mkdtemp(join(tmpdir(), 'flinknet-tm-proc-'));
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await jobManager.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the flinknet-taskmanager process with the real runtime', () => {
  it('runs a deployed job and on SIGTERM cancels it, reports CANCELED in a last heartbeat and exits 0', async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        '--jobmanager',
        jobManager.url,
        '--id',
        'tm-proc',
        '--slots',
        '2',
        '--data-dir',
        dataDir,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = once(child, 'exit');
    await waitFor(() => jobManager.registrations.length === 1, 20_000, 'the process to register');
    expect(jobManager.registrations[0]?.operators).toEqual(
      expect.arrayContaining(['Source:sequence', 'Operator:window-aggregate', 'Sink:file']),
    );

    jobManager.send(deployCommand(1, null, JOB_ID, endlessDefinition));
    const running = (state: string) =>
      jobManager.heartbeats.some(
        (b) => (b.tasks ?? []).length === 2 && b.tasks?.every((t) => t.state === state),
      );
    await waitFor(() => running('RUNNING'), 10_000, 'RUNNING reports');

    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    const last = jobManager.heartbeats.at(-1);
    expect(last?.tasks?.map((t) => `${t.vertexId}:${t.state}`).sort()).toEqual([
      'out:CANCELED',
      'src:CANCELED',
    ]);
  });
});
