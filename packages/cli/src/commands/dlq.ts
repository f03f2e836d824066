/**
 * @module
 * `dlq list|show|edit|resubmit|delete`: inspect and repair dead-lettered records.
 */
import { readFile } from 'node:fs/promises';
import { type DlqMessageDto, DlqMessageStatus } from '@flinknet/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { contextOf, positiveInt } from '../context';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { formatTime } from '../output/format';
import { keyValues, table } from '../output/table';

function messageStatus(value: string): DlqMessageStatus {
  const parsed = DlqMessageStatus.safeParse(value.toUpperCase());
  if (!parsed.success)
    throw new InvalidArgumentError(
      `expected one of ${DlqMessageStatus.options.join(', ')}, got "${value}"`,
    );
  return parsed.data;
}

/** Decodes a base64 payload for people: pretty JSON when it is JSON, else the text. */
export function decodePayload(base64: string | null): string {
  if (base64 === null) return '-';
  const text = Buffer.from(base64, 'base64').toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function preview(base64: string, width = 40): string {
  const text = Buffer.from(base64, 'base64').toString('utf8').replace(/\s+/g, ' ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function renderMessage(m: DlqMessageDto): string {
  return `${keyValues([
    ['Message', m.messageId],
    ['Job', m.jobId],
    ['Step', `${m.stepName} #${m.subtaskIndex}`],
    ['Status', m.status],
    ['Attempts', m.attempts],
    ['Error', m.errorMessage],
    ['Created', formatTime(m.createdAt)],
    ['Updated', formatTime(m.updatedAt)],
  ])}Payload:\n${decodePayload(m.payload)}\nNew payload:\n${decodePayload(m.newPayload)}\n`;
}

/** Registers the dlq command group. */
export function registerDlqCommands(program: Command, io: Io): void {
  const dlq = program.command('dlq').description("Inspect and repair a job's dead-letter queue");

  dlq
    .command('list')
    .description('List dead-letter messages of a job, oldest first')
    .argument('<jobId>', 'job id')
    .option('--status <status>', 'PENDING, RESUBMITTED or DISCARDED', messageStatus)
    .option('--limit <n>', 'show at most n messages', positiveInt, 100)
    .action(
      async (jobId: string, opts: { status?: DlqMessageStatus; limit: number }, cmd: Command) => {
        const ctx = contextOf(cmd, io);
        const messages: DlqMessageDto[] = [];
        for await (const m of ctx.client.dlq.iterate(jobId, {
          status: opts.status,
          limit: Math.min(opts.limit, 1000),
        })) {
          messages.push(m);
          if (messages.length >= opts.limit) break;
        }
        ctx.print(messages, () =>
          messages.length === 0
            ? 'No dead-letter messages.\n'
            : table(
                ['MESSAGE ID', 'STEP', 'STATUS', 'ATTEMPTS', 'CREATED', 'ERROR', 'PAYLOAD'],
                messages.map((m) => [
                  m.messageId,
                  m.stepName,
                  m.status,
                  m.attempts,
                  formatTime(m.createdAt),
                  m.errorMessage,
                  preview(m.newPayload ?? m.payload),
                ]),
              ),
        );
      },
    );

  dlq
    .command('show')
    .description('Show one message with its decoded payload')
    .argument('<jobId>', 'job id')
    .argument('<messageId>', 'message id')
    .action(async (jobId: string, messageId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const message = await ctx.client.dlq.get(jobId, messageId);
      ctx.print(message, () => renderMessage(message));
    });

  dlq
    .command('edit')
    .description('Set the repaired payload of a message (JSON), used when it is resubmitted')
    .argument('<jobId>', 'job id')
    .argument('<messageId>', 'message id')
    .option('--payload <json>', 'the repaired record as JSON text')
    .option('--file <path>', 'read the repaired record from a file')
    .action(
      async (
        jobId: string,
        messageId: string,
        opts: { payload?: string; file?: string },
        cmd: Command,
      ) => {
        if ((opts.payload === undefined) === (opts.file === undefined))
          throw new UsageError('give exactly one of --payload or --file');
        let text = opts.payload;
        if (opts.file !== undefined) {
          try {
            text = await readFile(opts.file, 'utf8');
          } catch (error) {
            throw new UsageError(
              `cannot read ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            );
          }
        }
        try {
          JSON.parse(text ?? '');
        } catch (error) {
          throw new UsageError(`the payload is not valid JSON: ${(error as Error).message}`);
        }
        const ctx = contextOf(cmd, io);
        const newPayload = Buffer.from(text ?? '', 'utf8').toString('base64');
        const message = await ctx.client.dlq.update(jobId, messageId, { newPayload });
        ctx.print(
          message,
          () =>
            `Updated message ${message.messageId}; resubmit with: flinknet dlq resubmit ${jobId} ${message.messageId}\n`,
        );
      },
    );

  dlq
    .command('resubmit')
    .description(
      'Send pending messages (all, or the given ones) back into the step that failed them',
    )
    .argument('<jobId>', 'job id')
    .argument('[messageIds...]', 'only these messages')
    .action(async (jobId: string, messageIds: string[], _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const result = await ctx.client.dlq.resubmit(jobId, messageIds.length ? { messageIds } : {});
      ctx.print(
        result,
        () =>
          `Resubmitted ${result.resubmitted} message${result.resubmitted === 1 ? '' : 's'} of job ${jobId}\n`,
      );
    });

  dlq
    .command('delete')
    .description('Discard a message')
    .argument('<jobId>', 'job id')
    .argument('<messageId>', 'message id')
    .action(async (jobId: string, messageId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      await ctx.client.dlq.delete(jobId, messageId);
      ctx.print({ messageId, deleted: true }, () => `Discarded message ${messageId}\n`);
    });
}
