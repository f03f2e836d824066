import { describe, expect, it } from 'vitest';
import { Channel, ChannelClosedError } from './Channel';
import type { StreamElement } from './elements';
import { InputGate } from './InputGate';

const batch = (n: number): StreamElement => ({ type: 'records', values: [n], keys: null });

describe('Channel', () => {
  it('accepts writes without waiting while below capacity', () => {
    const channel = new Channel(2);
    expect(channel.write(batch(1))).toBeUndefined();
    expect(channel.write(batch(2))).toBeUndefined();
    expect(channel.size).toBe(2);
  });

  it('blocks the writer when full until the reader takes an element', async () => {
    const channel = new Channel(2);
    channel.write(batch(1));
    channel.write(batch(2));
    const wait = channel.write(batch(3));
    expect(wait).toBeInstanceOf(Promise);
    let written = false;
    void wait!.then(() => {
      written = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    expect(channel.size).toBe(2);
    expect(channel.read()).toEqual(batch(1));
    await wait;
    expect(written).toBe(true);
    expect([channel.read(), channel.read(), channel.read()]).toEqual([
      batch(2),
      batch(3),
      undefined,
    ]);
  });

  it('fails a blocked writer when closed (cancel)', async () => {
    const channel = new Channel(1);
    channel.write(batch(1));
    const wait = channel.write(batch(2));
    channel.close();
    await expect(wait).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new Channel(0)).toThrow(/capacity/);
  });
});

describe('InputGate', () => {
  it('skips blocked and ended channels (barrier alignment)', () => {
    const gate = new InputGate(2, 4);
    gate.channels[0]!.write(batch(1));
    gate.channels[1]!.write(batch(2));
    gate.blocked[0] = true;
    expect(gate.poll()).toEqual({ element: batch(2), channel: 1 });
    expect(gate.poll()).toBeUndefined();
    gate.blocked[0] = false;
    expect(gate.poll()).toEqual({ element: batch(1), channel: 0 });
  });

  it('wakes a waiting reader on a write to any channel', async () => {
    const gate = new InputGate(3, 4);
    const started = Date.now();
    const waiting = gate.wait(5000);
    setTimeout(() => gate.channels[2]!.write(batch(7)), 10);
    await waiting;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(gate.poll()?.channel).toBe(2);
  });

  it('knows when every channel ended', () => {
    const gate = new InputGate(2);
    gate.ended[0] = true;
    expect(gate.allEnded).toBe(false);
    gate.ended[1] = true;
    expect(gate.allEnded).toBe(true);
  });
});
