/**
 * @module
 * Runtime throughput: sequence -> map -> filter -> discard, one subtask per
 * step, against a hand-written loop over the same records; then the same
 * pipeline with a checkpoint every second against itself without, in
 * alternating windows of one warmed-up job.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PipelineMode } from '../pipeline/pipelineWorker';
import type { CheckpointWindowsResult } from '../pipeline/runPipeline';
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

/** One worker process running one job in windows with and without checkpoints. */
async function checkpointWindows(
  pairs: number,
  windowSeconds: number,
  warmupSeconds: number,
  nodeArgs: readonly string[],
): Promise<CheckpointWindowsResult> {
  const args = ['--checkpoint-windows', String(pairs), '--seconds', String(windowSeconds)];
  const { stdout } = await run(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', WORKER, ...args, '--warmup', String(warmupSeconds)],
    {
      cwd: ROOT,
      timeout: (warmupSeconds + 2 * pairs * windowSeconds + 30) * 1000,
      maxBuffer: 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim()) as CheckpointWindowsResult;
}

/** Windows of 2 s hold two checkpoints each (at 0.5 s and 1.5 s). */
const WINDOW_SECONDS = 2;

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
    };
    const order: PipelineMode[] = ['loop', 'runtime', 'compiled-loop'];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so drift in machine load hits every mode alike.
      const modes = r % 2 === 0 ? order : [...order].reverse();
      const nodeArgs = profileArgs(ctx.settings.profileDir, 'pipeline');
      // One fresh process per run: in a shared process the runs after the first were up to
      // 25 % slower (heap and JIT state of the earlier runs).
      for (const mode of modes)
        for (const result of await round([mode], pipelineSeconds, nodeArgs))
          samples[result.mode].push(result);
      ctx.log(
        `round ${r + 1}/${rounds}: ${order.map((m) => `${m} ${fmt(samples[m].at(-1)?.recordsPerSec ?? Number.NaN)}/s`).join(', ')}`,
      );
    }
    const pairs = Math.max(4, 2 * rounds - 2);
    const warmupSeconds = Math.max(4, Math.round(1.5 * pipelineSeconds));
    ctx.log(
      `checkpoints: one job, ${warmupSeconds} s warm-up, then ${pairs} pairs of ${WINDOW_SECONDS} s windows with and without`,
    );
    const windows = await checkpointWindows(
      pairs,
      WINDOW_SECONDS,
      warmupSeconds,
      profileArgs(ctx.settings.profileDir, 'pipeline-checkpoints'),
    );
    const rate = (mode: PipelineMode) => median(samples[mode].map((s) => s.recordsPerSec));
    const loop = rate('loop');
    const runtime = rate('runtime');
    const perSec = (mode: PipelineMode) => samples[mode].map((s) => s.recordsPerSec);
    const speed = pairedRatio(perSec('runtime'), perSec('loop'));
    const kept = pairedRatio(windows.withCheckpoints, windows.without);
    const loss = 1 - kept;
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
        value: `${fmt(median(windows.withCheckpoints))} rec/s`,
        baseline: `${fmt(median(windows.without))} rec/s`,
        ratio: kept,
        target: '<= 5 % loss',
        met: loss <= 0.05,
        figures: {
          lossPercent: loss * 100,
          windowSeconds: WINDOW_SECONDS,
          warmupSeconds,
          windows: {
            withCheckpoints: windows.withCheckpoints.map(Math.round),
            without: windows.without.map(Math.round),
          },
          checkpointsCompleted: windows.checkpointsCompleted,
          checkpointsDeclined: windows.checkpointsDeclined,
        },
        note: `loss ${fmt(loss * 100, 1)} % (median of ${pairs} paired ${WINDOW_SECONDS} s windows of one job, after ${warmupSeconds} s of warm-up), ${windows.checkpointsCompleted} checkpoints completed, ${windows.checkpointsDeclined} declined`,
      },
    ];
  },
};
