import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import { waitForStatus } from './harness/jobs';
import { readCommittedRecords } from './harness/output';

afterEach(closeAllClusters);

const PLUGIN = fileURLToPath(new URL('../fixtures/tag-plugin.mjs', import.meta.url));

describe('operator plugins', () => {
  it('runs an operator loaded with --plugin in a job', async () => {
    const cluster = await startCluster({ taskManagers: 1, slots: 4, plugins: [PLUGIN] });
    const { rest } = cluster;
    const [tm] = await rest.taskManagers();
    expect(tm?.operators).toContain('Operator:e2e.tag');

    const { jobId } = await rest.submit({
      jobName: 'tagged',
      steps: [
        {
          name: 'numbers',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { count: 50, keys: 5 },
        },
        {
          name: 'tagger',
          operatorType: 'Operator',
          typeName: 'e2e.tag',
          operatorProperties: { tag: 'blue' },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'out/plugin' },
        },
      ],
      checkpointIntervalMs: 300,
    });
    await waitForStatus(rest, jobId, 'FINISHED');

    const records = (await readCommittedRecords(
      join(cluster.taskManagerDataDir, 'out/plugin'),
    )) as {
      seq: number;
      tag: string;
      taggedBy: string;
    }[];
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(new Set(records.map((r) => `${r.tag}/${r.taggedBy}`))).toEqual(new Set(['blue/tagger']));
  });
});
