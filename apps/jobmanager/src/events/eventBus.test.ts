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

  it('keeps rings for the most recently active jobs only, dropping the oldest a tenth at a time', () => {
    const bus = new EventBus(10, Date.now, 10);
    const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    for (let n = 1; n <= 10; n++) bus.publish({ jobId: job(n), type: 'status', status: 'CREATED' });
    // Job 1 publishes again: jobs 2 and 3 are now the least recently active.
    bus.publish({ jobId: job(1), type: 'status', status: 'RUNNING' });
    bus.publish({ jobId: job(11), type: 'status', status: 'CREATED' });
    expect(bus.replay(job(2), 0)).toHaveLength(1); // 11 rings: within the slack of a tenth
    bus.publish({ jobId: job(12), type: 'status', status: 'CREATED' });
    expect(bus.replay(job(2), 0)).toEqual([]);
    expect(bus.replay(job(3), 0)).toEqual([]);
    expect(bus.replay(job(1), 0).map((e) => e.status)).toEqual(['CREATED', 'RUNNING']);
    for (const n of [4, 10, 11, 12]) expect(bus.replay(job(n), 0)).toHaveLength(1);
  });
});
