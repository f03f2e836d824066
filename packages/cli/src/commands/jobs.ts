/**
 * @module
 * Reading and submitting jobs: submit, list, status, get, metrics.
 */
import { readFile } from 'node:fs/promises';
import { JOB_STATES, type JobOverviewDto, type JobState } from '@flinknet/contracts';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { contextOf, positiveInt, waitWithProgress } from '../context';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { formatBytes, formatPercent, formatRate } from '../output/format';
import { renderDetail, renderJobList, renderStatus } from '../output/jobs';
import { table } from '../output/table';

/** Parses `RUNNING` or `RUNNING,FINISHED` into job states. */
export function jobStates(value: string): JobState[] {
  const states = value.split(',').map((s) => s.trim().toUpperCase());
  for (const state of states) {
    if (!(JOB_STATES as readonly string[]).includes(state)) {
      throw new InvalidArgumentError(
        `unknown job state "${state}" (one of ${JOB_STATES.join(', ')})`,
      );
    }
  }
  return states as JobState[];
}

async function readDefinition(file: string, io: Io): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Registers submit, list, status, get and metrics. */
export function registerJobCommands(program: Command, io: Io): void {
  program
    .command('submit')
    .description('Submit a job definition (a JSON file, or - for stdin)')
    .argument('<file>', 'job definition JSON (JobDefinitionDto)')
    .option('--wait [states]', 'wait until the job is in one of these states (default RUNNING)')
    .option('--wait-timeout <ms>', 'how long --wait waits', positiveInt, 120_000)
    .option(
      '--idempotency-key <key>',
      'repeat-safe key: a second submit with it returns the first job',
    )
    .action(
      async (
        file: string,
        opts: { wait?: string | true; waitTimeout: number; idempotencyKey?: string },
        cmd: Command,
      ) => {
        const waitFor =
          opts.wait === undefined
            ? undefined
            : jobStates(opts.wait === true ? 'RUNNING' : opts.wait);
        const definition = await readDefinition(file, io);
        const ctx = contextOf(cmd, io);
        let status = await ctx.client.jobs.submit(
          definition as never,
          opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {},
        );
        if (waitFor) status = await waitWithProgress(ctx, status.jobId, waitFor, opts.waitTimeout);
        ctx.print(
          status,
          () => `Submitted job ${status.jobId} (${status.jobName}): ${status.status}\n`,
        );
      },
    );

  program
    .command('list')
    .description('List jobs, newest first')
    .option('--status <states>', 'only jobs in these states (comma-separated)', jobStates)
    .option('--name <text>', 'only jobs whose name contains this text')
    .option('--limit <n>', 'show at most n jobs', positiveInt, 50)
    .option('--all', 'show every job (follows all pages)')
    .action(
      async (
        opts: { status?: JobState[]; name?: string; limit: number; all?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd, io);
        const jobs: JobOverviewDto[] = [];
        const query = {
          status: opts.status?.join(','),
          name: opts.name,
          limit: Math.min(opts.limit, 1000),
        };
        for await (const job of ctx.client.jobs.iterate(query)) {
          jobs.push(job);
          if (!opts.all && jobs.length >= opts.limit) break;
        }
        ctx.print(jobs, () => renderJobList(jobs));
      },
    );

  program
    .command('status')
    .description('Show the status of a job')
    .argument('<jobId>', 'job id')
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const status = await ctx.client.jobs.status(jobId);
      ctx.print(status, () => renderStatus(status));
    });

  program
    .command('get')
    .description('Show a job in detail: status, job graph and transitions')
    .argument('<jobId>', 'job id')
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const job = await ctx.client.jobs.get(jobId);
      ctx.print(job, () => renderDetail(job));
    });

  program
    .command('metrics')
    .description('Show records in/out, rates and backpressure per vertex')
    .argument('<jobId>', 'job id')
    .addOption(new Option('--subtasks', 'one row per subtask'))
    .action(async (jobId: string, opts: { subtasks?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const metrics = await ctx.client.jobs.metrics(jobId);
      ctx.print(metrics, () => {
        if (metrics.length === 0) return 'No metrics yet.\n';
        const headers = [
          'VERTEX',
          'PARALLELISM',
          'RECORDS IN',
          'RECORDS OUT',
          'IN/S',
          'OUT/S',
          'BACKPRESSURE',
          'STATE',
        ];
        const rows = metrics.flatMap((v) => [
          [
            v.vertexName,
            v.parallelism,
            v.recordsIn,
            v.recordsOut,
            formatRate(v.recordsInPerSecond),
            formatRate(v.recordsOutPerSecond),
            formatPercent(v.backpressureRatio),
            formatBytes(v.stateSizeBytes),
          ],
          ...(opts.subtasks
            ? v.subtasks.map((s) => [
                `  #${s.subtaskIndex} ${s.taskManagerId ?? ''}`.trimEnd(),
                s.status,
                s.recordsIn,
                s.recordsOut,
                formatRate(s.recordsInPerSecond),
                formatRate(s.recordsOutPerSecond),
                formatPercent(s.backpressureRatio),
                formatBytes(s.stateSizeBytes),
              ])
            : []),
        ]);
        return table(headers, rows);
      });
    });
}
