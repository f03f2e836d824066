import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllClusters, startCluster } from './harness/cluster';
import { waitForStatus } from './harness/jobs';
import { readCommittedRecords } from './harness/output';
import { waitFor } from './harness/waitFor';

afterEach(closeAllClusters);

interface SeqRecord {
  seq: number;
  fixed?: boolean;
}

const decode = (base64: string) =>
  JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as SeqRecord;
const encode = (record: unknown) => Buffer.from(JSON.stringify(record), 'utf8').toString('base64');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const THREES = range(100).filter((seq) => seq % 10 === 3);

describe('the dead-letter queue', () => {
  it('holds exactly the records a map expression rejects, and a repaired resubmission reaches the sink', async () => {
    const cluster = await startCluster({ taskManagers: 1, slots: 4 });
    const { rest } = cluster;
    const output = join(cluster.taskManagerDataDir, 'out/dlq');
    const committed = async () => (await readCommittedRecords(output)) as SeqRecord[];

    // An endless source filtered to seq 0..99 keeps the job RUNNING for the resubmission.
    const { jobId } = await rest.submit({
      jobName: 'dlq',
      errorTolerance: 'all',
      steps: [
        {
          name: 'numbers',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { ratePerSecond: 500 },
        },
        {
          name: 'first-hundred',
          operatorType: 'Operator',
          typeName: 'filter',
          operatorProperties: { expression: 'value.seq < 100.0' },
        },
        {
          name: 'reject-threes',
          operatorType: 'Operator',
          typeName: 'map',
          operatorProperties: {
            expression: 'value.seq % 10 == 3 && !has(value.fixed) ? fail("seq ends in 3") : value',
          },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'out/dlq' },
        },
      ],
      checkpointIntervalMs: 300,
    });
    await waitForStatus(rest, jobId, 'RUNNING');

    const messages = await waitFor('ten DLQ messages', async () => {
      const list = await rest.dlq(jobId);
      return list.length >= THREES.length ? list : undefined;
    });
    expect(messages.map((m) => decode(m.payload).seq).sort((a, b) => a - b)).toEqual(THREES);
    expect(messages.every((m) => m.stepName === 'reject-threes' && m.status === 'PENDING')).toBe(
      true,
    );
    expect(messages.every((m) => m.errorMessage.includes('seq ends in 3'))).toBe(true);
    await waitFor(
      'the 90 good records to be committed',
      async () => (await committed()).length === 90,
    );
    expect((await committed()).some((r) => r.seq % 10 === 3)).toBe(false);

    for (const message of messages) {
      const updated = await rest.updateDlq(
        jobId,
        message.messageId,
        encode({ ...decode(message.payload), fixed: true }),
      );
      expect(updated.newPayload).not.toBeNull();
    }
    const result = await rest.resubmitDlq(jobId);
    expect(result.resubmitted).toBe(THREES.length);

    await waitFor(
      'the repaired records to be committed',
      async () => (await committed()).length === 100,
    );
    await rest.stop(jobId);
    await waitForStatus(rest, jobId, 'FINISHED');

    const records = await committed();
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(range(100));
    expect(
      records
        .filter((r) => r.fixed)
        .map((r) => r.seq)
        .sort((a, b) => a - b),
    ).toEqual(THREES);
    const after = await rest.dlq(jobId);
    expect(after.filter((m) => m.status === 'PENDING')).toEqual([]);
    expect(after).toHaveLength(THREES.length);
  });
});
