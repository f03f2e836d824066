import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotResponse } from '@flinknet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { startJob } from '../startJob';
import {
  committedRecords,
  deployOf,
  RecordingHooks,
  tempDir,
  waitFor,
} from '../test-support/jobFixture';
import { finalNameOf } from './fileSink';

let dir: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const deploy = deployOf({
  jobName: 'sink',
  steps: [
    {
      name: 'src',
      operatorType: 'Source',
      typeName: 'sequence',
      operatorProperties: { ratePerSecond: 3000 },
    },
    { name: 'out', operatorType: 'Sink', typeName: 'file', operatorProperties: { path: 'out' } },
  ],
});

function run(attempt: number, restore: SnapshotResponse | null) {
  const hooks = new RecordingHooks();
  const execution = startJob({
    deploy: { ...deploy, attempt },
    registry: createRegistry(),
    dataDir: dir.path,
    restore,
    hooks,
  });
  return { execution, hooks };
}

const seqs = async () =>
  ((await committedRecords(join(dir.path, 'out'))) as Array<{ seq: number }>)
    .map((r) => r.seq)
    .sort((a, b) => a - b);
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('file sink', () => {
  it('names committed parts part-<subtask>-<checkpoint>-a<attempt>.jsonl', () => {
    expect(finalNameOf('.part-3-a2-cp17.pending')).toBe('part-3-17-a2.jsonl');
  });

  it('commits the pending part of a restored checkpoint whose notification never came, and drops the rest', async () => {
    const first = run(1, null);
    await waitFor(() => first.execution.reports()[1]!.metrics!.recordsIn > 100, 5000, 'records');
    first.execution.triggerCheckpoint(1, 'CHECKPOINT', Date.now());
    await waitFor(() => first.hooks.acksOf(1).length === 2, 5000, 'acks');
    await waitFor(
      () =>
        first.execution.reports()[1]!.metrics!.recordsIn >
          first.execution.reports()[0]!.metrics!.recordsOut - 10 &&
        first.execution.reports()[1]!.metrics!.recordsIn > 200,
      5000,
      'more records',
    );
    // Crash before notifyCheckpointComplete(1): a pending and an in-progress part stay behind.
    await first.execution.cancel();
    expect(await seqs()).toEqual([]);
    const leftovers = await readdir(join(dir.path, 'out'));
    expect(leftovers.some((n) => n.endsWith('.pending'))).toBe(true);

    const second = run(2, first.hooks.snapshotOf(deploy.jobId, 1));
    await waitFor(() => second.execution.reports()[1]!.state === 'RUNNING', 5000, 'RUNNING');
    const splits = (
      first.hooks.acksOf(1).find((a) => a.vertexId === 'src')!.snapshot as {
        splits: Record<string, { next: number }>;
      }
    ).splits;
    const atCheckpoint = Object.entries(splits).reduce(
      (n, [j, s]) => n + (s.next - Number(j)) / 128,
      0,
    );
    expect(await seqs()).toEqual(upTo(atCheckpoint));

    await waitFor(
      () => second.execution.reports()[1]!.metrics!.recordsIn > 100,
      5000,
      'records after restore',
    );
    second.execution.finish();
    await second.execution.done;
    const all = await seqs();
    expect(all).toEqual(upTo(all.length));
    expect(all.length).toBeGreaterThan(atCheckpoint);
    expect((await readdir(join(dir.path, 'out'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('commits everything at the end of input, the records after a stop savepoint included', async () => {
    const { execution, hooks } = run(1, null);
    await waitFor(() => execution.reports()[1]!.metrics!.recordsIn > 100, 5000, 'records');
    execution.triggerCheckpoint(1, 'SAVEPOINT', Date.now());
    await waitFor(() => hooks.acksOf(1).length === 2, 5000, 'acks');
    execution.finish();
    await execution.done;
    await execution.notifyCheckpointComplete(1);
    const emitted = execution.reports()[0]!.metrics!.recordsOut;
    expect(await seqs()).toEqual(upTo(emitted));
    expect(hooks.finalStates()).toEqual(['FINISHED', 'FINISHED']);
  });
});
