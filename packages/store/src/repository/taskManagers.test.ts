import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Store } from '../openStore';
import { FakeClock, TempStores } from '../test-support/fixtures';

describe('taskmanagers', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('tms.db', { now: clock.now });
  });
  afterEach(() => temp.cleanup());

  const register = (taskManagerId: string, slots = 4) =>
    store.upsertTaskManager({
      taskManagerId,
      address: `http://127.0.0.1:${9000 + slots}`,
      version: '0.1.0',
      slots,
      operators: ['Source:sequence', 'Sink:log'],
    });

  it('registers a TaskManager as ACTIVE with its offer', () => {
    expect(register('tm-1')).toEqual({
      taskManagerId: 'tm-1',
      address: 'http://127.0.0.1:9004',
      version: '0.1.0',
      state: 'ACTIVE',
      slots: 4,
      operators: ['Source:sequence', 'Sink:log'],
      registeredAt: '2026-01-01T00:00:00.000Z',
      lastHeartbeat: '2026-01-01T00:00:00.000Z',
    });
    expect(store.getTaskManager('tm-1')?.operators).toEqual(['Source:sequence', 'Sink:log']);
    expect(store.getTaskManager('tm-9')).toBeUndefined();
  });

  it('re-registration updates the offer and makes a LOST TaskManager ACTIVE again', () => {
    register('tm-1');
    store.setTaskManagerState('tm-1', 'LOST');
    expect(store.getTaskManager('tm-1')?.state).toBe('LOST');
    clock.advance(3000);
    const again = register('tm-1', 8);
    expect(again).toMatchObject({
      state: 'ACTIVE',
      slots: 8,
      registeredAt: '2026-01-01T00:00:03.000Z',
    });
    expect(store.listTaskManagers()).toHaveLength(1);
  });

  it('records heartbeats at the store clock or at the given time', () => {
    register('tm-1');
    clock.advance(500);
    store.touchTaskManager('tm-1');
    expect(store.getTaskManager('tm-1')?.lastHeartbeat).toBe('2026-01-01T00:00:00.500Z');
    store.touchTaskManager('tm-1', '2026-01-01T01:00:00+01:00');
    expect(store.getTaskManager('tm-1')?.lastHeartbeat).toBe('2026-01-01T00:00:00.000Z');
    expect(() => store.touchTaskManager('tm-1', 'yesterday')).toThrow(InvalidInputError);
  });

  it('throws NotFoundError for a heartbeat or state change of an unknown TaskManager', () => {
    expect(() => store.touchTaskManager('ghost')).toThrow(NotFoundError);
    expect(() => store.setTaskManagerState('ghost', 'LOST')).toThrow(NotFoundError);
  });

  it('lists TaskManagers by id', () => {
    register('tm-b');
    register('tm-a');
    expect(store.listTaskManagers().map((t) => t.taskManagerId)).toEqual(['tm-a', 'tm-b']);
  });
});
