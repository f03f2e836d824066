import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import { countPerKeyJob, recordsOut, waitForStatus } from './harness/jobs';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

describe('cancelling a job', () => {
  it('frees every task slot and reaches CANCELED within a second', async () => {
    const cluster = await startCluster({ taskManagers: 2, slots: 4 });
    const { rest } = cluster;
    const { jobId } = await rest.submit(
      countPerKeyJob({ name: 'to-cancel', keys: 4, ratePerSecond: 1000, path: 'out/cancel' }),
    );
    await waitForStatus(rest, jobId, 'RUNNING');
    await waitFor(
      'the source to emit',
      async () => recordsOut(await rest.metrics(jobId), 'numbers') > 0,
    );
    const busy = await rest.taskManagers();
    expect(busy.some((tm) => tm.slotsFree < tm.slotsTotal)).toBe(true);

    const answer = await rest.cancel(jobId);
    expect(['CANCELLING', 'CANCELED']).toContain(answer.status);
    await waitFor(
      'CANCELED with every slot free',
      async () => {
        const [status, taskManagers] = await Promise.all([rest.status(jobId), rest.taskManagers()]);
        return (
          status.status === 'CANCELED' && taskManagers.every((tm) => tm.slotsFree === tm.slotsTotal)
        );
      },
      1000,
    );
    const metrics = await rest.metrics(jobId);
    const states = metrics.flatMap((v) => v.subtasks.map((s) => s.status));
    expect(states.filter((s) => s === 'RUNNING' || s === 'DEPLOYING')).toEqual([]);
  });
});
