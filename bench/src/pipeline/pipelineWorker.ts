/**
 * @module
 * One round of the pipeline measures in a fresh process, so one run's JIT and
 * GC state never leaks into the next round:
 * `pipelineWorker.ts --modes loop,runtime,... --seconds S`.
 * Prints one JSON line per mode, in the order given.
 */
import { parseArgs } from 'node:util';
import { runHandLoop } from './handLoop';
import { runPipeline } from './runPipeline';

export const PIPELINE_MODES = ['loop', 'compiled-loop', 'runtime', 'runtime-checkpoints'] as const;
export type PipelineMode = (typeof PIPELINE_MODES)[number];

async function runMode(
  mode: PipelineMode,
  seconds: number,
): Promise<{ records: number; ms: number }> {
  // A loop's rate settles within a second; the runtime needs the time for its checkpoints.
  if (mode === 'loop' || mode === 'compiled-loop')
    return runHandLoop(Math.max(1, seconds / 2), mode === 'loop' ? 'js' : 'compiled');
  return runPipeline(seconds, mode === 'runtime-checkpoints' ? 1000 : null);
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const { values } = parseArgs({
    options: { modes: { type: 'string' }, seconds: { type: 'string' } },
  });
  const modes = (values.modes ?? '').split(',') as PipelineMode[];
  const seconds = Number(values.seconds ?? 3);
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
