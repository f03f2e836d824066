/**
 * @module
 * `logs`: a job's log, optionally followed until the job ends.
 */
import { isTerminal, type LogEntryDto, LogLevel } from '@flinknet/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, contextOf, positiveInt } from '../context';
import type { Io } from '../io';
import { formatTime } from '../output/format';

function logLevel(value: string): LogLevel {
  const parsed = LogLevel.safeParse(value.toUpperCase());
  if (!parsed.success)
    throw new InvalidArgumentError(
      `expected one of ${LogLevel.options.join(', ')}, got "${value}"`,
    );
  return parsed.data;
}

function printEntry(ctx: CommandContext, entry: LogEntryDto): void {
  ctx.io.stdout.write(
    ctx.json
      ? `${JSON.stringify(entry)}\n`
      : `${formatTime(entry.timestamp)} ${entry.level.padEnd(5)} [${entry.source}] ${entry.message}\n`,
  );
}

interface LogFlags {
  level?: LogLevel;
  since?: string;
  follow?: boolean;
  interval: number;
}

/** Registers logs. */
export function registerLogCommands(program: Command, io: Io): void {
  program
    .command('logs')
    .description("Print a job's log, oldest first (--json prints one JSON object per line)")
    .argument('<jobId>', 'job id')
    .option('--level <level>', 'this level and above: DEBUG, INFO, WARN, ERROR', logLevel)
    .option('--since <time>', 'entries at or after this ISO-8601 time')
    .option('-f, --follow', 'keep printing new entries until the job ends (Ctrl-C to stop)')
    .option('--interval <ms>', 'poll interval of --follow', positiveInt, 1000)
    .action(async (jobId: string, opts: LogFlags, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      let lastId = 0;
      let since = opts.since;
      const drain = async () => {
        for await (const entry of ctx.client.jobs.iterateLogs(jobId, {
          level: opts.level,
          since,
          limit: 500,
        })) {
          // `since` is inclusive: entries of the same millisecond come again.
          if (entry.id <= lastId) continue;
          lastId = entry.id;
          since = entry.timestamp;
          printEntry(ctx, entry);
        }
      };
      await drain();
      if (!opts.follow) return;
      for (;;) {
        const { status } = await ctx.client.jobs.status(jobId);
        await new Promise((resolve) => setTimeout(resolve, opts.interval));
        await drain();
        if (isTerminal(status)) return;
      }
    });
}
