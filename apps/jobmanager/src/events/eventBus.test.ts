import { describe, expect, it } from 'vitest';
import { EventBus } from './eventBus';

const JOB = '00000000-0000-4000-8000-000000000001';

describe('EventBus', () => {
  it('numbers events monotonically and replays those after a given id', () => {
    const bus = new EventBus();
    const a = bus.publish({ jobId: JOB, type: 'status', status: 'CREATED' });
    const b = bus.publish({ jobId: JOB, type: 'status', status: 'RUNNING' });
    expect(b.id).toBe(a.id + 1);
    expect(bus.replay(JOB, a.id).map((e) => e.status)).toEqual(['RUNNING']);
  });

  it('keeps only the newest events of a job in its ring', () => {
    const bus = new EventBus(2);
    for (let i = 0; i < 5; i++) bus.publish({ jobId: JOB, type: 'log', message: String(i) });
    expect(bus.replay(JOB, 0).map((e) => e.message)).toEqual(['3', '4']);
  });

  it('delivers to subscribers until they unsubscribe', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.subscribe(JOB, (e) => seen.push(e.message ?? ''));
    bus.publish({ jobId: JOB, type: 'log', message: 'one' });
    off();
    bus.publish({ jobId: JOB, type: 'log', message: 'two' });
    expect(seen).toEqual(['one']);
  });

  it('keeps rings for the most recently active jobs only', () => {
    const bus = new EventBus(10, Date.now, 3);
    const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    for (let n = 1; n <= 3; n++) bus.publish({ jobId: job(n), type: 'status', status: 'CREATED' });
    // Job 1 publishes again: job 2 is now the least recently active.
    bus.publish({ jobId: job(1), type: 'status', status: 'RUNNING' });
    bus.publish({ jobId: job(4), type: 'status', status: 'CREATED' });
    expect(bus.replay(job(2), 0)).toEqual([]);
    expect(bus.replay(job(1), 0).map((e) => e.status)).toEqual(['CREATED', 'RUNNING']);
    expect(bus.replay(job(3), 0)).toHaveLength(1);
    expect(bus.replay(job(4), 0)).toHaveLength(1);
  });
});
