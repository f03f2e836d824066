import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, tempDir } from '../test-support/jobFixture';

let dir: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const orders = [
  { id: 1, user: 'a', items: ['x', 'y'], total: 5 },
  { id: 2, user: 'b', items: [], total: 50 },
  { id: 1, user: 'a', items: ['x', 'y'], total: 5 },
  { id: 3, user: 'a', items: ['z'], total: 12 },
];

describe('map', () => {
  it('emits the value of its expression', async () => {
    const { output } = await runPipeline(dir.path, orders, [
      {
        name: 'shape',
        operatorType: 'Operator',
        typeName: 'map',
        operatorProperties: { expression: '{"id": value.id, "big": value.total > 10}' },
      },
    ]);
    expect(output).toEqual([
      { id: 1, big: false },
      { id: 2, big: true },
      { id: 1, big: false },
      { id: 3, big: true },
    ]);
  });

  it('fails the job at start with the step name when the expression does not compile', async () => {
    await expect(
      runPipeline(dir.path, orders, [
        {
          name: 'broken',
          operatorType: 'Operator',
          typeName: 'map',
          operatorProperties: { expression: 'value.(' },
        },
      ]),
    ).rejects.toThrow(/invalid expression/);
  });
});

describe('filter', () => {
  it('keeps the records its expression accepts', async () => {
    const { output } = await runPipeline(dir.path, orders, [
      {
        name: 'big',
        operatorType: 'Operator',
        typeName: 'filter',
        operatorProperties: { expression: 'value.total >= 12' },
      },
    ]);
    expect((output as Array<{ id: number }>).map((o) => o.id)).toEqual([2, 3]);
  });

  it('rejects a record whose expression is not a boolean', async () => {
    const { output, hooks } = await runPipeline(
      dir.path,
      orders,
      [
        {
          name: 'odd',
          operatorType: 'Operator',
          typeName: 'filter',
          operatorProperties: { expression: 'value.items' },
        },
      ],
      { errorTolerance: 'all' },
    );
    expect(output).toHaveLength(0);
    expect(hooks.dlq).toHaveLength(4);
    expect(hooks.dlq[0]!.errorMessage).toMatch(/not a boolean/);
  });
});

describe('flat-map', () => {
  it('emits one record per element of the array', async () => {
    const { output } = await runPipeline(dir.path, orders, [
      {
        name: 'items',
        operatorType: 'Operator',
        typeName: 'flat-map',
        operatorProperties: { expression: 'value.items' },
      },
    ]);
    expect(output).toEqual(['x', 'y', 'x', 'y', 'z']);
  });

  it('rejects a record that is not an array', async () => {
    const { hooks } = await runPipeline(
      dir.path,
      [{ n: 1 }],
      [{ name: 'split', operatorType: 'Operator', typeName: 'flat-map' }],
      {
        errorTolerance: 'all',
      },
    );
    expect(hooks.dlq[0]!.errorMessage).toMatch(/needs an array/);
  });
});

describe('key-by and dedupe', () => {
  it('drops repeated ids per key', async () => {
    const { output } = await runPipeline(dir.path, orders, [
      {
        name: 'by-user',
        operatorType: 'Operator',
        typeName: 'key-by',
        outputKeying: { serializedKeySelector: 'field:user' },
      },
      {
        name: 'once',
        operatorType: 'Operator',
        typeName: 'dedupe',
        parallelism: 2,
        operatorProperties: { expression: 'value.id', ttlMs: 60_000 },
      },
    ]);
    expect((output as Array<{ id: number }>).map((o) => o.id).sort()).toEqual([1, 2, 3]);
  });

  it('dedupes whole records on an unkeyed step', async () => {
    const { output } = await runPipeline(dir.path, orders, [
      { name: 'once', operatorType: 'Operator', typeName: 'dedupe' },
    ]);
    expect(output).toHaveLength(3);
  });

  it('keys by an expression and sends records without a key to the DLQ', async () => {
    const { output, hooks } = await runPipeline(
      dir.path,
      [{ user: 'a' }, { nobody: true }, { user: 'b' }],
      [
        {
          name: 'by-user',
          operatorType: 'Operator',
          typeName: 'key-by',
          operatorProperties: { expression: 'value.user' },
        },
        { name: 'once', operatorType: 'Operator', typeName: 'dedupe', parallelism: 3 },
      ],
      { errorTolerance: 'all' },
    );
    expect(output).toHaveLength(2);
    expect(hooks.dlq.map((d) => d.stepName)).toEqual(['by-user']);
  });
});

describe('log sink', () => {
  it('writes each record to the job log', async () => {
    const { hooks } = await runPipeline(dir.path, [{ a: 1 }, { a: 2 }], [], {
      sink: { name: 'print', operatorType: 'Sink', typeName: 'log' },
    });
    const printed = hooks.logs.filter((l) => l.source === 'print#0' && l.message.startsWith('{'));
    expect(printed.map((l) => l.message)).toEqual(['{"a":1}', '{"a":2}']);
  });
});
