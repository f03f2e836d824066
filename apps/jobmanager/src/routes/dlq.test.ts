import type { DlqMessageDto, DlqResubmitResultDto } from '@flinknet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, removeDir, type TestApp } from '../testing/fixtures';
import { type RunningJob, startRunningJob } from '../testing/runningJob';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
let t: TestApp;

afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

async function withDeadLetters(
  count: number,
): Promise<{ job: RunningJob; messages: DlqMessageDto[] }> {
  const job = await startRunningJob(t);
  await job.tm.heartbeat({
    dlq: Array.from({ length: count }, (_, i) => ({
      jobId: job.jobId,
      attempt: job.deploy.attempt,
      vertexId: 'double',
      subtaskIndex: 0,
      stepName: 'double',
      errorMessage: `bad record ${i}`,
      payload: b64({ seq: i }),
    })),
  });
  const res = await t.call('GET', `/dlq/${job.jobId}/messages`);
  return { job, messages: (await res.json()) as DlqMessageDto[] };
}

describe('DLQ routes', () => {
  it('lists the records TaskManagers reported, oldest first, paged and filtered by status', async () => {
    t = createTestApp();
    const { job, messages } = await withDeadLetters(3);
    expect(messages.map((m) => m.errorMessage)).toEqual([
      'bad record 0',
      'bad record 1',
      'bad record 2',
    ]);
    expect(messages[0]).toMatchObject({
      stepName: 'double',
      status: 'PENDING',
      attempts: 0,
      newPayload: null,
      payload: b64({ seq: 0 }),
    });
    const page = await t.call('GET', `/dlq/${job.jobId}/messages?limit=2`);
    expect((await page.json()) as DlqMessageDto[]).toHaveLength(2);
    expect(page.headers.get('link')).toMatch(/rel="next"/);
    expect(
      await (await t.call('GET', `/dlq/${job.jobId}/messages?status=DISCARDED`)).json(),
    ).toEqual([]);
    expect((await t.call('GET', `/dlq/${UNKNOWN}/messages`)).status).toBe(404);
    expect((await t.call('GET', '/dlq/nope/messages')).status).toBe(400);
  });

  it('gets, repairs and deletes one message; 404 for an unknown one', async () => {
    t = createTestApp();
    const { job, messages } = await withDeadLetters(1);
    const id = messages[0]!.messageId;
    const got = await t.call('GET', `/dlq/${job.jobId}/messages/${id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as DlqMessageDto).messageId).toBe(id);
    const put = await t.call('PUT', `/dlq/${job.jobId}/messages/${id}`, {
      newPayload: b64({ seq: 42 }),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as DlqMessageDto).newPayload).toBe(b64({ seq: 42 }));
    expect(
      (await t.call('PUT', `/dlq/${job.jobId}/messages/${id}`, { newPayload: 'not base64!' }))
        .status,
    ).toBe(422);
    expect((await t.call('DELETE', `/dlq/${job.jobId}/messages/${id}`)).status).toBe(204);
    expect((await t.call('GET', `/dlq/${job.jobId}/messages/${id}`)).status).toBe(404);
    expect((await t.call('DELETE', `/dlq/${job.jobId}/messages/${id}`)).status).toBe(404);
    expect(
      (await t.call('PUT', `/dlq/${job.jobId}/messages/${UNKNOWN}`, { newPayload: b64(1) })).status,
    ).toBe(404);
  });

  it('resubmits pending messages (the repaired payload if any) to the running job and marks them RESUBMITTED', async () => {
    t = createTestApp();
    const { job, messages } = await withDeadLetters(2);
    await t.call('PUT', `/dlq/${job.jobId}/messages/${messages[1]!.messageId}`, {
      newPayload: b64({ seq: 99 }),
    });
    const res = await t.call('POST', `/dlq/${job.jobId}/resubmit`);
    expect(res.status).toBe(202);
    const result = (await res.json()) as DlqResubmitResultDto;
    expect(result).toEqual({
      jobId: job.jobId,
      resubmitted: 2,
      messageIds: messages.map((m) => m.messageId),
    });
    await job.tm.heartbeat();
    const command = job.tm.last('resubmitDlq', job.jobId)!;
    expect(command.records.map((r) => r.payload)).toEqual([b64({ seq: 0 }), b64({ seq: 99 })]);
    const after = (await (
      await t.call('GET', `/dlq/${job.jobId}/messages`)
    ).json()) as DlqMessageDto[];
    expect(after.map((m) => [m.status, m.attempts])).toEqual([
      ['RESUBMITTED', 1],
      ['RESUBMITTED', 1],
    ]);
  });

  it('reopens a resubmitted message that fails again', async () => {
    t = createTestApp();
    const { job, messages } = await withDeadLetters(1);
    const id = messages[0]!.messageId;
    await t.call('POST', `/dlq/${job.jobId}/resubmit`, { messageIds: [id] });
    await job.tm.heartbeat({
      dlq: [
        {
          jobId: job.jobId,
          attempt: job.deploy.attempt,
          vertexId: 'double',
          subtaskIndex: 0,
          stepName: 'double',
          errorMessage: 'still bad',
          payload: b64(0),
          messageId: id,
        },
      ],
    });
    const message = (await (
      await t.call('GET', `/dlq/${job.jobId}/messages/${id}`)
    ).json()) as DlqMessageDto;
    expect(message).toMatchObject({ status: 'PENDING', errorMessage: 'still bad' });
  });

  it('answers 409 when the job is not RUNNING and 404 for an unknown message id', async () => {
    t = createTestApp();
    const { job } = await withDeadLetters(1);
    expect(
      (await t.call('POST', `/dlq/${job.jobId}/resubmit`, { messageIds: [UNKNOWN] })).status,
    ).toBe(404);
    await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/cancel`);
    const res = await t.call('POST', `/dlq/${job.jobId}/resubmit`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ state: 'CANCELLING' });
  });
});
