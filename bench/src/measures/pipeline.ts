/**
 * @module
 * Runtime throughput: sequence -> map -> filter -> discard, one subtask per
 * step, against a hand-written loop over the same records; then the same
 * pipeline with a checkpoint every second against the run without.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PipelineMode } from '../pipeline/pipelineWorker';
import { profileArgs, ROOT } from '../processes';
import { fmt } from '../report';
import { median, pairedRatio } from '../stats';
import type { BenchContext, Measure, MeasureRow } from '../types';

const run = promisify(execFile);
const WORKER = join(ROOT, 'bench/src/pipeline/pipelineWorker.ts');

interface ModeResult {
  mode: PipelineMode;
  records: number;
  ms: number;
  recordsPerSec: number;
  checkpointsCompleted?: number;
  checkpointsDeclined?: number;
}

/** Runs one worker process over `modes` in order. */
async function round(
  modes: readonly PipelineMode[],
  seconds: number,
  nodeArgs: readonly string[],
): Promise<ModeResult[]> {
  const { stdout } = await run(
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      'tsx',
      WORKER,
      '--modes',
      modes.join(','),
      '--seconds',
      String(seconds),
    ],
    {
      cwd: ROOT,
      timeout: (seconds * modes.length + 30) * 1000,
      maxBuffer: 1024 * 1024,
    },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ModeResult);
}

const PIPELINE = 'pipeline sequence -> map -> filter -> discard, records/s on one subtask';
const CHECKPOINTS = 'same pipeline with checkpoints every 1 s';

export const pipelineMeasure: Measure = {
  id: 'pipeline',
  rows: [
    { id: 'pipeline', measure: PIPELINE, target: '>= 0.3x and >= 2 M rec/s' },
    { id: 'pipeline-checkpoints', measure: CHECKPOINTS, target: '<= 5 % loss' },
  ],
  async run(ctx: BenchContext): Promise<MeasureRow[]> {
    const { rounds, pipelineSeconds } = ctx.settings;
    const samples: Record<PipelineMode, ModeResult[]> = {
      loop: [],
      'compiled-loop': [],
      runtime: [],
      'runtime-checkpoints': [],
    };
    const order: PipelineMode[] = ['loop', 'runtime', 'runtime-checkpoints', 'compiled-loop'];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so drift in machine load hits every mode alike.
      const modes = r % 2 === 0 ? order : [...order].reverse();
      const nodeArgs = profileArgs(ctx.settings.profileDir, 'pipeline');
      // One fresh process per run: in a shared process the runs after the first were up to
      // 25 % slower (heap and JIT state of the earlier runs), which read as checkpoint "loss".
      for (const mode of modes)
        for (const result of await round([mode], pipelineSeconds, nodeArgs))
          samples[result.mode].push(result);
      ctx.log(
        `round ${r + 1}/${rounds}: ${order.map((m) => `${m} ${fmt(samples[m].at(-1)?.recordsPerSec ?? Number.NaN)}/s`).join(', ')}`,
      );
    }
    const rate = (mode: PipelineMode) => median(samples[mode].map((s) => s.recordsPerSec));
    const loop = rate('loop');
    const runtime = rate('runtime');
    const withCheckpoints = rate('runtime-checkpoints');
    const perSec = (mode: PipelineMode) => samples[mode].map((s) => s.recordsPerSec);
    const speed = pairedRatio(perSec('runtime'), perSec('loop'));
    const kept = pairedRatio(perSec('runtime-checkpoints'), perSec('runtime'));
    const loss = 1 - kept;
    const checkpoints = samples['runtime-checkpoints'].map((s) => s.checkpointsCompleted ?? 0);
    const perRound = (mode: PipelineMode) => samples[mode].map((s) => Math.round(s.recordsPerSec));
    return [
      {
        id: 'pipeline',
        measure: PIPELINE,
        value: `${fmt(runtime)} rec/s`,
        baseline: `${fmt(loop)} rec/s`,
        ratio: speed,
        target: '>= 0.3x and >= 2 M rec/s',
        met: speed >= 0.3 && runtime >= 2_000_000,
        figures: {
          runtimeRecordsPerSec: runtime,
          loopRecordsPerSec: loop,
          compiledExpressionLoopRecordsPerSec: rate('compiled-loop'),
          rounds: {
            runtime: perRound('runtime'),
            loop: perRound('loop'),
            compiledLoop: perRound('compiled-loop'),
          },
          secondsPerRound: pipelineSeconds,
        },
        note: `the same loop evaluating the job's compiled expressions instead of plain JavaScript does ${fmt(rate('compiled-loop'))} rec/s (the expression ceiling)`,
      },
      {
        id: 'pipeline-checkpoints',
        measure: CHECKPOINTS,
        value: `${fmt(withCheckpoints)} rec/s`,
        baseline: `${fmt(runtime)} rec/s`,
        ratio: kept,
        target: '<= 5 % loss',
        met: loss <= 0.05,
        figures: {
          lossPercent: loss * 100,
          rounds: {
            withCheckpoints: perRound('runtime-checkpoints'),
            without: perRound('runtime'),
          },
          checkpointsCompletedPerRound: checkpoints,
          checkpointsDeclinedPerRound: samples['runtime-checkpoints'].map(
            (s) => s.checkpointsDeclined ?? 0,
          ),
        },
        note: `loss ${fmt(loss * 100, 1)} %, ${checkpoints.join('/')} checkpoints completed per round`,
      },
    ];
  },
};
