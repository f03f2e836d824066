import { describe, expect, it } from 'vitest';
import { CommandQueue } from './commandQueue';

const JOB = '00000000-0000-4000-8000-000000000001';
const cancel = { type: 'cancel' as const, jobId: JOB, attempt: 1 };

describe('CommandQueue', () => {
  it('wakes a waiting poll as soon as a command is queued', async () => {
    const queue = new CommandQueue();
    const started = Date.now();
    const polled = queue.wait('tm-1', 5000);
    setTimeout(() => queue.push('tm-1', cancel), 10);
    expect(await polled).toEqual([cancel]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers an empty list after waitMs when nothing is queued', async () => {
    const queue = new CommandQueue();
    expect(await queue.wait('tm-1', 20)).toEqual([]);
  });

  it('keeps commands of different TaskManagers apart and drains them once', () => {
    const queue = new CommandQueue();
    queue.push('tm-1', cancel);
    expect(queue.drain('tm-2')).toEqual([]);
    expect(queue.drain('tm-1')).toEqual([cancel]);
    expect(queue.drain('tm-1')).toEqual([]);
  });

  it('releases waiting polls when closed', async () => {
    const queue = new CommandQueue();
    const polled = queue.wait('tm-1', 60_000);
    queue.close();
    expect(await polled).toEqual([]);
  });
});
