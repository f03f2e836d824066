/**
 * @module
 * `checkpoints`: list a job's checkpoints, or trigger one.
 */
import { type CheckpointInfoDto, CheckpointStatus } from '@flinknet/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { contextOf, positiveInt } from '../context';
import type { Io } from '../io';
import { formatBytes, formatDuration, formatTime } from '../output/format';
import { table } from '../output/table';

function checkpointStatus(value: string): CheckpointStatus {
  const parsed = CheckpointStatus.safeParse(value.toUpperCase());
  if (!parsed.success)
    throw new InvalidArgumentError(
      `expected one of ${CheckpointStatus.options.join(', ')}, got "${value}"`,
    );
  return parsed.data;
}

/** The checkpoint table. */
export function renderCheckpoints(checkpoints: readonly CheckpointInfoDto[]): string {
  if (checkpoints.length === 0) return 'No checkpoints.\n';
  return table(
    ['ID', 'KIND', 'STATUS', 'REASON', 'TRIGGERED', 'DURATION', 'SIZE', 'ACKS', 'FAILURE'],
    checkpoints.map((c) => [
      c.checkpointId,
      c.kind,
      c.status,
      c.reason,
      formatTime(c.triggerTime),
      formatDuration(c.durationMs),
      formatBytes(c.sizeBytes),
      `${c.acknowledged}/${c.total}`,
      c.failureReason,
    ]),
  );
}

/** Registers checkpoints. */
export function registerCheckpointCommands(program: Command, io: Io): void {
  program
    .command('checkpoints')
    .description("List a job's checkpoints, newest first, or trigger one with --trigger")
    .argument('<jobId>', 'job id')
    .option('--trigger', 'trigger a checkpoint now and print it')
    .option(
      '--status <status>',
      'only IN_PROGRESS, COMPLETED or FAILED checkpoints',
      checkpointStatus,
    )
    .option('--limit <n>', 'show at most n checkpoints', positiveInt, 20)
    .action(
      async (
        jobId: string,
        opts: { trigger?: boolean; status?: CheckpointStatus; limit: number },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd, io);
        if (opts.trigger) {
          const checkpoint = await ctx.client.jobs.triggerCheckpoint(jobId);
          ctx.print(
            checkpoint,
            () =>
              `Triggered checkpoint ${checkpoint.checkpointId} of job ${jobId}: ${checkpoint.status}\n`,
          );
          return;
        }
        const checkpoints: CheckpointInfoDto[] = [];
        for await (const c of ctx.client.jobs.iterateCheckpoints(jobId, {
          status: opts.status,
          limit: Math.min(opts.limit, 1000),
        })) {
          checkpoints.push(c);
          if (checkpoints.length >= opts.limit) break;
        }
        ctx.print(checkpoints, () => renderCheckpoints(checkpoints));
      },
    );
}
