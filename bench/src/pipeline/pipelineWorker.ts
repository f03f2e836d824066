/**
 * @module
 * One round of the pipeline measures in a fresh process, so one run's JIT and
 * GC state never leaks into the next round:
 * `pipelineWorker.ts --modes loop,runtime,... --seconds S`.
 * Prints one JSON line per mode, in the order given.
 * `pipelineWorker.ts --checkpoint-windows PAIRS --seconds S --warmup W` runs
 * one job for W seconds, then in windows of S seconds with and without
 * checkpoints, and prints one line.
 */
import { parseArgs } from 'node:util';
import { runHandLoop } from './handLoop';
import { runCheckpointWindows, runPipeline } from './runPipeline';

export const PIPELINE_MODES = ['loop', 'compiled-loop', 'runtime'] as const;
export type PipelineMode = (typeof PIPELINE_MODES)[number];

async function runMode(
  mode: PipelineMode,
  seconds: number,
): Promise<{ records: number; ms: number }> {
  // A loop's rate settles within a second; the runtime's JIT takes longer.
  if (mode === 'loop' || mode === 'compiled-loop')
    return runHandLoop(Math.max(1, seconds / 2), mode === 'loop' ? 'js' : 'compiled');
  return runPipeline(seconds);
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const { values } = parseArgs({
    options: {
      modes: { type: 'string' },
      seconds: { type: 'string' },
      'checkpoint-windows': { type: 'string' },
      warmup: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds ?? 3);
  const pairs = Number(values['checkpoint-windows']);
  const warmup = Number(values.warmup ?? 0);
  if (values['checkpoint-windows'] !== undefined) {
    if (!Number.isInteger(pairs) || pairs < 1 || !(seconds > 0) || !(warmup >= 0)) {
      console.error('usage: pipelineWorker.ts --checkpoint-windows PAIRS --seconds S --warmup W');
      process.exit(2);
    }
    const result = await runCheckpointWindows(warmup * 1000, seconds * 1000, pairs, 1000);
    console.log(JSON.stringify(result));
    process.exit(0);
  }
  const modes = (values.modes ?? '').split(',') as PipelineMode[];
  if (modes.length === 0 || !modes.every((m) => PIPELINE_MODES.includes(m)) || !(seconds > 0)) {
    console.error(`usage: pipelineWorker.ts --modes ${PIPELINE_MODES.join(',')} --seconds S`);
    process.exit(2);
  }
  for (const mode of modes) {
    const result = await runMode(mode, seconds);
    console.log(
      JSON.stringify({ mode, ...result, recordsPerSec: (result.records / result.ms) * 1000 }),
    );
  }
  process.exit(0);
}
