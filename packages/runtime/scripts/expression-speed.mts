/**
 * Expression speed: compile once, evaluate 1M records, for cel-js's own
 * interpreter and for compileExpression (generated and closure fast paths):
 * `node --import tsx scripts/expression-speed.mts`.
 */
import { Environment } from '@marcbachmann/cel-js';
import { compileExpression } from '../src/expressions/compileExpression';

const N = 1_000_000;
const records = Array.from({ length: 1000 }, (_, i) => ({
  seq: i,
  key: `k${i % 10}`,
  ts: 1_700_000_000_000 + i,
}));
const expressions = [
  'value.seq > 500',
  'value.seq % 2 == 0',
  '{"seq": value.seq, "key": value.key, "double": value.seq * 2}',
];
const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable(
  'value',
  'dyn',
);
env.registerOperator('double % int', (a: unknown, b: unknown) => Number(a) % Number(b));
env.registerOperator('double * int', (a: unknown, b: unknown) => Number(a) * Number(b));

function time(label: string, run: (record: unknown) => unknown): void {
  for (let i = 0; i < 100_000; i++) run(records[i % 1000]); // warm up
  const started = performance.now();
  for (let i = 0; i < N; i++) run(records[i % 1000]);
  const ms = performance.now() - started;
  console.log(
    `${label.padEnd(80)} ${ms.toFixed(0).padStart(5)} ms / 1M = ${(N / ms / 1000).toFixed(1)} M/s`,
  );
}

for (const source of expressions) {
  const interpreted = env.parse(source) as unknown as (ctx: Record<string, unknown>) => unknown;
  const ctx: Record<string, unknown> = { value: null };
  time(`cel-js interpreter:  ${source}`, (r) => {
    ctx.value = r;
    return interpreted(ctx);
  });
  const compiled = compileExpression(source);
  time(`compileExpression:   ${source}`, (r) => compiled(r));
}
