import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Store } from '../openStore';
import { allPages, createSampleJob, FakeClock, TempStores } from '../test-support/fixtures';
import type { JobRecord, NewDlqMessage } from '../types';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('dead-letter queue', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  let job: JobRecord;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('dlq.db', { now: clock.now });
    job = createSampleJob(store);
  });
  afterEach(() => temp.cleanup());

  const message = (i: number, jobId = job.jobId): NewDlqMessage => ({
    messageId: crypto.randomUUID(),
    jobId,
    stepName: 'per-user',
    subtaskIndex: i % 2,
    errorMessage: `missing field key in record ${i}`,
    payload: b64({ seq: i }),
  });

  it('stores messages PENDING with no attempts and serves them oldest first', () => {
    const sent = [message(0), message(1), message(2)];
    store.addDlqMessages(sent);
    const page = store.listDlq(job.jobId, { limit: 10 });
    expect(page.items.map((m) => m.messageId)).toEqual(sent.map((m) => m.messageId));
    expect(page.items[0]).toEqual({
      ...sent[0],
      newPayload: null,
      status: 'PENDING',
      attempts: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(store.getDlq(job.jobId, sent[1]!.messageId)?.payload).toBe(b64({ seq: 1 }));
  });

  it('skips a message id it already has (a resent heartbeat)', () => {
    const m = message(0);
    store.addDlqMessages([m]);
    store.addDlqMessages([{ ...m, errorMessage: 'resent' }, message(1)]);
    const items = store.listDlq(job.jobId, { limit: 10 }).items;
    expect(items).toHaveLength(2);
    expect(items[0]?.errorMessage).toBe('missing field key in record 0');
  });

  it('does not show one job the messages of another', () => {
    const other = createSampleJob(store, 'other');
    const mine = message(0);
    store.addDlqMessages([mine, message(1, other.jobId)]);
    expect(store.listDlq(job.jobId, { limit: 10 }).items.map((m) => m.messageId)).toEqual([
      mine.messageId,
    ]);
    expect(store.getDlq(other.jobId, mine.messageId)).toBeUndefined();
  });

  it('stores a repaired payload', () => {
    const m = message(0);
    store.addDlqMessages([m]);
    clock.advance(10);
    const updated = store.updateDlqPayload(job.jobId, m.messageId, b64({ seq: 0, key: 'k0' }));
    expect(updated).toMatchObject({
      newPayload: b64({ seq: 0, key: 'k0' }),
      payload: m.payload,
      updatedAt: '2026-01-01T00:00:00.010Z',
    });
    expect(store.updateDlqPayload(job.jobId, crypto.randomUUID(), 'e30=')).toBeUndefined();
  });

  it('marks messages RESUBMITTED, counting attempts, and filters by status', () => {
    const [a, b, c] = [message(0), message(1), message(2)];
    store.addDlqMessages([a!, b!, c!]);
    const resubmitted = store.setDlqStatus(
      job.jobId,
      [c!.messageId, a!.messageId, crypto.randomUUID()],
      'RESUBMITTED',
    );
    expect(resubmitted.map((m) => [m.messageId, m.status, m.attempts])).toEqual([
      [a!.messageId, 'RESUBMITTED', 1],
      [c!.messageId, 'RESUBMITTED', 1],
    ]);
    store.setDlqStatus(job.jobId, [a!.messageId], 'RESUBMITTED');
    expect(store.getDlq(job.jobId, a!.messageId)?.attempts).toBe(2);
    store.setDlqStatus(job.jobId, [b!.messageId], 'DISCARDED');
    expect(store.getDlq(job.jobId, b!.messageId)).toMatchObject({
      status: 'DISCARDED',
      attempts: 0,
    });
    expect(
      store.listDlq(job.jobId, { limit: 10, status: 'RESUBMITTED' }).items.map((m) => m.messageId),
    ).toEqual([a!.messageId, c!.messageId]);
    expect(store.listDlq(job.jobId, { limit: 10, status: 'PENDING' }).items).toEqual([]);
    expect(store.setDlqStatus(job.jobId, [], 'DISCARDED')).toEqual([]);
    expect(() => store.setDlqStatus(job.jobId, [a!.messageId], 'LOST' as never)).toThrow(
      InvalidInputError,
    );
  });

  it('reopens a resubmitted message that failed again with the new error', () => {
    const m = message(0);
    store.addDlqMessages([m]);
    store.setDlqStatus(job.jobId, [m.messageId], 'RESUBMITTED');
    store.reopenDlq(job.jobId, m.messageId, 'still missing field key');
    expect(store.getDlq(job.jobId, m.messageId)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      errorMessage: 'still missing field key',
    });
    expect(() => store.reopenDlq(job.jobId, crypto.randomUUID(), 'x')).toThrow(NotFoundError);
  });

  it('deletes a message and says whether it existed', () => {
    const m = message(0);
    store.addDlqMessages([m]);
    expect(store.deleteDlq(job.jobId, m.messageId)).toBe(true);
    expect(store.deleteDlq(job.jobId, m.messageId)).toBe(false);
    expect(store.getDlq(job.jobId, m.messageId)).toBeUndefined();
  });

  it('keeps pages stable while messages arrive between fetches', () => {
    const first = Array.from({ length: 5 }, (_, i) => message(i));
    store.addDlqMessages(first);
    const late: NewDlqMessage[] = [];
    const seen = allPages((cursor) => {
      const page = store.listDlq(job.jobId, { limit: 2, cursor });
      if (late.length < 4) {
        const more = [message(100 + late.length), message(101 + late.length)];
        late.push(...more);
        store.addDlqMessages(more);
      }
      return page;
    });
    expect(seen.map((m) => m.messageId)).toEqual([...first, ...late].map((m) => m.messageId));
  });

  it('refuses messages for an unknown job', () => {
    expect(() => store.addDlqMessages([message(0, crypto.randomUUID())])).toThrow(NotFoundError);
  });
});
