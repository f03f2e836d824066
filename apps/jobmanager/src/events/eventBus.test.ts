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
});
