import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import { countPerKeyJob, waitForCompletedCheckpoints, waitForStatus } from './harness/jobs';
import { expectedSequenceCounts, readCommittedRecords, sumPerKey } from './harness/output';
import type { Rest } from './harness/rest';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

/** Rescales every step and waits until the new attempt runs at that parallelism. */
async function scaleTo(rest: Rest, jobId: string, parallelism: number) {
  const before = await rest.status(jobId);
  await rest.scale(jobId, { desiredParallelism: parallelism });
  await waitFor(
    `job ${jobId} to run at parallelism ${parallelism}`,
    async () => {
      const status = await rest.status(jobId);
      if (status.status !== 'RUNNING' || status.attempt <= before.attempt) return undefined;
      const job = await rest.job(jobId);
      return job.jobGraph.vertices.every((v) => v.parallelism === parallelism);
    },
    60_000,
  );
}

describe('rescaling a keyed job', () => {
  it('keeps per-key counts exact through 2 -> 4 -> 1', async () => {
    const cluster = await startCluster({ taskManagers: 2, slots: 8 });
    const { rest } = cluster;
    const count = 12_000;
    const { jobId } = await rest.submit(
      countPerKeyJob({
        name: 'rescale',
        count,
        keys: 16,
        ratePerSecond: 1000,
        parallelism: 2,
        sourceParallelism: 2,
        path: 'out/scale',
      }),
    );
    await waitForStatus(rest, jobId, 'RUNNING');
    await waitForCompletedCheckpoints(rest, jobId, 1);

    await scaleTo(rest, jobId, 4);
    const afterUp = (await rest.checkpoints(jobId)).filter((c) => c.status === 'COMPLETED').length;
    await waitForCompletedCheckpoints(rest, jobId, afterUp + 1);
    await scaleTo(rest, jobId, 1);

    const running = await rest.status(jobId);
    expect(running.status).toBe('RUNNING');
    await waitForStatus(rest, jobId, 'FINISHED', 90_000);
    const counts = sumPerKey(
      await readCommittedRecords(join(cluster.taskManagerDataDir, 'out/scale')),
    );
    expect(counts).toEqual(expectedSequenceCounts(count, 16));
  });
});
