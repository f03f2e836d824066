/**
 * @module
 * `watch JOB`: a live view of status, per-vertex rates and the last
 * checkpoint, redrawn in place on a terminal; one frame per poll otherwise.
 */
import {
  type CheckpointInfoDto,
  isTerminal,
  type JobStatusDto,
  type VertexMetricsDto,
} from '@flinknet/contracts';
import type { Command } from 'commander';
import { contextOf, positiveInt } from '../context';
import type { Io } from '../io';
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  formatTime,
} from '../output/format';
import { table } from '../output/table';

export interface WatchFrame {
  status: JobStatusDto;
  metrics: VertexMetricsDto[];
  lastCheckpoint: CheckpointInfoDto | null;
}

/** One frame of the live view as text. */
export function renderFrame(
  { status, metrics, lastCheckpoint }: WatchFrame,
  now = new Date(),
): string {
  const head = `${status.jobName} (${status.jobId})  ${status.status}  attempt ${status.attempt}  restarts ${status.restartCount}  ${formatTime(now.toISOString())}\n`;
  const error = status.errorMessage ? `error: ${status.errorMessage}\n` : '';
  const vertices =
    metrics.length === 0
      ? 'No metrics yet.\n'
      : table(
          ['VERTEX', 'PARALLELISM', 'IN/S', 'OUT/S', 'RECORDS IN', 'RECORDS OUT', 'BACKPRESSURE'],
          metrics.map((v) => [
            v.vertexName,
            v.parallelism,
            formatRate(v.recordsInPerSecond),
            formatRate(v.recordsOutPerSecond),
            v.recordsIn,
            v.recordsOut,
            formatPercent(v.backpressureRatio),
          ]),
        );
  const checkpoint = lastCheckpoint
    ? `Last checkpoint: #${lastCheckpoint.checkpointId} ${lastCheckpoint.status} (${lastCheckpoint.reason}) at ${formatTime(lastCheckpoint.triggerTime)}, ${formatDuration(lastCheckpoint.durationMs)}, ${formatBytes(lastCheckpoint.sizeBytes)}\n`
    : 'Last checkpoint: none\n';
  return `${head}${error}${vertices}${checkpoint}`;
}

/** Cuts lines to the terminal width: a wrapped line would break the in-place redraw. */
export function fitWidth(text: string, columns: number | undefined): string {
  if (!columns) return text;
  return text
    .split('\n')
    .map((line) => (line.length > columns ? `${line.slice(0, columns - 1)}…` : line))
    .join('\n');
}

/** Registers watch. */
export function registerWatchCommand(program: Command, io: Io): void {
  program
    .command('watch')
    .description(
      'Live view of a job: status, per-vertex rates, last checkpoint (ends when the job ends; Ctrl-C to leave)',
    )
    .argument('<jobId>', 'job id')
    .option('--interval <ms>', 'refresh interval', positiveInt, 1000)
    .action(async (jobId: string, opts: { interval: number }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const tty = io.stdout.isTTY === true && !ctx.json;
      let previousLines = 0;
      for (;;) {
        const [status, metrics, checkpoints] = await Promise.all([
          ctx.client.jobs.status(jobId),
          ctx.client.jobs.metrics(jobId),
          ctx.client.jobs.checkpoints(jobId, { limit: 1 }),
        ]);
        const frame: WatchFrame = { status, metrics, lastCheckpoint: checkpoints.items[0] ?? null };
        if (ctx.json) {
          io.stdout.write(`${JSON.stringify(frame)}\n`);
        } else {
          const text = tty ? fitWidth(renderFrame(frame), io.stdout.columns) : renderFrame(frame);
          // Move up over the previous frame and clear it, so the view stays in place.
          const rewind = tty && previousLines > 0 ? `\x1b[${previousLines}F\x1b[0J` : '';
          io.stdout.write(`${rewind}${text}${tty ? '' : '\n'}`);
          previousLines = text.split('\n').length - 1;
        }
        if (isTerminal(status.status)) return;
        await new Promise((resolve) => setTimeout(resolve, opts.interval));
      }
    });
}
