import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import {
  countPerKeyJob,
  taskManagersOf,
  waitForCompletedCheckpoints,
  waitForStatus,
} from './harness/jobs';
import { expectedSequenceCounts, readCommittedRecords, sumPerKey } from './harness/output';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

describe('losing a TaskManager', () => {
  it('restarts the job from its last checkpoint on the other TaskManager with exact per-key counts after kill -9', async () => {
    // 8 slots each: the survivor must be able to take every task.
    const cluster = await startCluster({ taskManagers: 2, slots: 8 });
    const { rest } = cluster;
    const count = 8000;
    const { jobId } = await rest.submit(
      countPerKeyJob({
        name: 'failover',
        count,
        keys: 10,
        ratePerSecond: 1000,
        path: 'out/failover',
      }),
    );
    const running = await waitForStatus(rest, jobId, 'RUNNING');
    await waitForCompletedCheckpoints(rest, jobId, 2);

    const victims = taskManagersOf(await rest.metrics(jobId));
    const victimId = [...victims][0]!;
    const survivorId = [...cluster.taskManagers.keys()].find((id) => id !== victimId)!;
    await cluster.taskManagers.get(victimId)!.kill();

    const restarted = await waitFor(
      'the job to run again on the survivor',
      async () => {
        const status = await rest.status(jobId);
        if (status.attempt <= running.attempt || status.status !== 'RUNNING') return undefined;
        const placed = taskManagersOf(await rest.metrics(jobId));
        return placed.size > 0 && !placed.has(victimId) ? status : undefined;
      },
      60_000,
    );
    expect(restarted.restartCount).toBeGreaterThanOrEqual(1);
    expect(taskManagersOf(await rest.metrics(jobId))).toEqual(new Set([survivorId]));

    await waitForStatus(rest, jobId, 'FINISHED', 90_000);
    const counts = sumPerKey(
      await readCommittedRecords(join(cluster.taskManagerDataDir, 'out/failover')),
    );
    expect(counts).toEqual(expectedSequenceCounts(count, 10));
  });
});
