import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import { countPerKeyJob, waitForCompletedCheckpoints, waitForStatus } from './harness/jobs';
import { expectedSequenceCounts, readCommittedRecords, sumPerKey } from './harness/output';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

describe('a JobManager restart', () => {
  it('has the TaskManagers register again and the job finish with exact counts after kill -9 of the JobManager', async () => {
    const cluster = await startCluster({ taskManagers: 2, slots: 4 });
    const count = 6000;
    const { jobId } = await cluster.rest.submit(
      countPerKeyJob({
        name: 'jm-restart',
        count,
        keys: 8,
        ratePerSecond: 1000,
        path: 'out/restart',
      }),
    );
    const before = await waitForStatus(cluster.rest, jobId, 'RUNNING');
    await waitForCompletedCheckpoints(cluster.rest, jobId, 2);

    await cluster.restartJobManager();
    const { rest } = cluster;
    await waitFor(
      'both TaskManagers to be ACTIVE again',
      async () => {
        const tms = await rest.taskManagers();
        return tms.filter((tm) => tm.state === 'ACTIVE').length === 2;
      },
      30_000,
    );
    const finished = await waitForStatus(rest, jobId, 'FINISHED', 90_000);
    expect(finished.attempt).toBeGreaterThan(before.attempt);
    const counts = sumPerKey(
      await readCommittedRecords(join(cluster.taskManagerDataDir, 'out/restart')),
    );
    expect(counts).toEqual(expectedSequenceCounts(count, 8));
  });
});
