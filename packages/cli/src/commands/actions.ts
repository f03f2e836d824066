/**
 * @module
 * Changing a running job: stop, cancel, restart, scale.
 */
import type { JobState, JobStatusDto } from '@flinknet/contracts';
import type { Command } from 'commander';
import { type CommandContext, contextOf, positiveInt, waitWithProgress } from '../context';
import type { Io } from '../io';

interface WaitFlags {
  wait?: boolean;
  waitTimeout: number;
}

function addWait(command: Command, until: string): Command {
  return command
    .option('--wait', `wait until the job is ${until}`)
    .option('--wait-timeout <ms>', 'how long --wait waits', positiveInt, 120_000);
}

async function finish(
  ctx: CommandContext,
  accepted: JobStatusDto,
  verb: string,
  flags: WaitFlags,
  until: JobState[],
  previousAttempt?: number,
) {
  // Scale and restart redeploy: the job may be RUNNING before and after, so
  // they wait for a later attempt than the one before the action.
  const where =
    previousAttempt === undefined ? undefined : (s: JobStatusDto) => s.attempt > previousAttempt;
  const status = flags.wait
    ? await waitWithProgress(ctx, accepted.jobId, until, flags.waitTimeout, where)
    : accepted;
  ctx.print(status, () => `${verb} job ${status.jobId} (${status.jobName}): ${status.status}\n`);
}

/** The attempt before a redeploying action, when the command will wait for the next one. */
async function attemptBefore(ctx: CommandContext, jobId: string, flags: WaitFlags) {
  return flags.wait ? (await ctx.client.jobs.status(jobId)).attempt : undefined;
}

/** Registers stop, cancel, restart and scale. */
export function registerActionCommands(program: Command, io: Io): void {
  addWait(
    program
      .command('stop')
      .description('Stop a job gracefully: a final checkpoint, then FINISHED')
      .argument('<jobId>', 'job id'),
    'FINISHED',
  ).action(async (jobId: string, opts: WaitFlags, cmd: Command) => {
    const ctx = contextOf(cmd, io);
    await finish(ctx, await ctx.client.jobs.stop(jobId), 'Stopping', opts, ['FINISHED']);
  });

  addWait(
    program
      .command('cancel')
      .description('Cancel a job: its tasks are killed, then CANCELED')
      .argument('<jobId>', 'job id'),
    'CANCELED',
  ).action(async (jobId: string, opts: WaitFlags, cmd: Command) => {
    const ctx = contextOf(cmd, io);
    await finish(ctx, await ctx.client.jobs.cancel(jobId), 'Cancelling', opts, ['CANCELED']);
  });

  addWait(
    program
      .command('restart')
      .description('Restart a job from its latest (or the given) completed checkpoint')
      .argument('<jobId>', 'job id')
      .option('--checkpoint <id>', 'restore this checkpoint instead of the latest', positiveInt),
    'RUNNING',
  ).action(async (jobId: string, opts: WaitFlags & { checkpoint?: number }, cmd: Command) => {
    const ctx = contextOf(cmd, io);
    const body = opts.checkpoint === undefined ? {} : { checkpointId: opts.checkpoint };
    const before = await attemptBefore(ctx, jobId, opts);
    const accepted = await ctx.client.jobs.restart(jobId, body);
    await finish(ctx, accepted, 'Restarting', opts, ['RUNNING'], before);
  });

  addWait(
    program
      .command('scale')
      .description('Rescale a job (or one step): savepoint, then redeploy at the new parallelism')
      .argument('<jobId>', 'job id')
      .requiredOption('--parallelism <n>', 'the new parallelism', positiveInt)
      .option('--operator <name>', 'only this step (default: every step)'),
    'RUNNING again',
  ).action(
    async (
      jobId: string,
      opts: WaitFlags & { parallelism: number; operator?: string },
      cmd: Command,
    ) => {
      const ctx = contextOf(cmd, io);
      const before = await attemptBefore(ctx, jobId, opts);
      const accepted = await ctx.client.jobs.scale(jobId, {
        desiredParallelism: opts.parallelism,
        ...(opts.operator ? { operatorName: opts.operator } : {}),
      });
      await finish(ctx, accepted, 'Scaling', opts, ['RUNNING'], before);
    },
  );
}
