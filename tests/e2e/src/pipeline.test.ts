import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import {
  countPerKeyJob,
  recordsOut,
  waitForCompletedCheckpoints,
  waitForStatus,
} from './harness/jobs';
import { expectedSequenceCounts, readCommittedRecords, sumPerKey } from './harness/output';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

describe('a keyed counting pipeline on a real cluster', () => {
  it('runs RUNNING with growing metrics and completed checkpoints; stop gives FINISHED and exact committed counts', async () => {
    const cluster = await startCluster({ taskManagers: 2, slots: 4 });
    const { rest } = cluster;
    const { jobId } = await rest.submit(
      countPerKeyJob({ name: 'counts', keys: 10, ratePerSecond: 2000, path: 'out/counts' }),
    );

    await waitForStatus(rest, jobId, 'RUNNING');
    const first = await waitFor('the source to emit', async () =>
      recordsOut(await rest.metrics(jobId), 'numbers'),
    );
    await waitFor(
      'the source metrics to grow',
      async () => recordsOut(await rest.metrics(jobId), 'numbers') > first,
    );
    const checkpoints = await waitForCompletedCheckpoints(rest, jobId, 2);
    expect(checkpoints.every((c) => c.acknowledged === c.total && c.total > 0)).toBe(true);

    await rest.stop(jobId);
    await waitForStatus(rest, jobId, 'FINISHED');

    const counts = sumPerKey(
      await readCommittedRecords(join(cluster.taskManagerDataDir, 'out/counts')),
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(first);
    // One source subtask emits seq 0..total-1 in order: anything lost or doubled breaks this shape.
    expect(counts).toEqual(expectedSequenceCounts(total, 10));
    expect(recordsOut(await rest.metrics(jobId), 'numbers')).toBe(total);
  });
});
