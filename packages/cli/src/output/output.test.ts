import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, formatTime } from './format';
import { keyValues, table } from './table';

describe('table', () => {
  it('pads every column but the last and shows missing cells as "-"', () => {
    expect(
      table(
        ['ID', 'NAME', 'NOTE'],
        [
          ['1', 'short', null],
          ['22', 'a longer name', 'x'],
        ],
      ),
    ).toBe('ID  NAME           NOTE\n1   short          -\n22  a longer name  x\n');
  });

  it('aligns key-value pairs', () => {
    expect(
      keyValues([
        ['Job', 'a'],
        ['Status', 'RUNNING'],
      ]),
    ).toBe('Job:    a\nStatus: RUNNING\n');
  });
});

describe('formatters', () => {
  it('formats times, durations, rates and sizes for people', () => {
    expect(formatTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m05s');
    expect(formatDuration(7_380_000)).toBe('2h03m');
    expect(formatRate(12.34)).toBe('12.3/s');
    expect(formatRate(1234.5)).toBe('1235/s');
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5KiB');
  });
});

describe('watch frames', () => {
  it('cut lines to the terminal width so the redraw stays in place', async () => {
    const { fitWidth } = await import('../commands/watch');
    expect(fitWidth('abcdef\nab', 4)).toBe('abc…\nab');
    expect(fitWidth('abcdef', undefined)).toBe('abcdef');
  });
});
