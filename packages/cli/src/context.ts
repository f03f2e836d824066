/**
 * @module
 * What every command needs: a client built from the global flags, the io,
 * and one way to print (JSON for scripts, text for people).
 */
import {
  createClient,
  type FlinkNetClient,
  type JobState,
  type JobStatusDto,
} from '@flinknet/client';
import { type Command, InvalidArgumentError } from 'commander';
import { type Connection, resolveConnection } from './config';
import type { Io } from './io';
import { startProgress } from './output/progress';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
  timeout?: number;
}

export interface CommandContext {
  readonly client: FlinkNetClient;
  readonly io: Io;
  readonly json: boolean;
  readonly connection: Connection;
  /** Prints `data` as JSON with `--json`, else the human text. */
  print(data: unknown, human: () => string): void;
}

/** Builds the context of the running command from its global flags. */
export function contextOf(command: Command, io: Io): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection(globals, io.env, io.cwd);
  let client: FlinkNetClient;
  try {
    client = createClient({
      baseUrl: connection.url,
      token: connection.token,
      timeoutMs: globals.timeout ?? 30_000,
    });
  } catch (error) {
    throw new InvalidArgumentError(
      error instanceof Error ? error.message.replace(/^createClient: /, '') : String(error),
    );
  }
  const json = globals.json === true;
  return {
    client,
    io,
    json,
    connection,
    print(data, human) {
      io.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : human());
    },
  };
}

/** Parses a positive integer flag value, or fails as a usage error. */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return parsed;
}

/** Waits for a job state with a progress line on stderr; resolves with the final status. */
export async function waitWithProgress(
  ctx: CommandContext,
  jobId: string,
  states: JobState | readonly JobState[],
  timeoutMs: number,
  where?: (status: JobStatusDto) => boolean,
): Promise<JobStatusDto> {
  const wanted = typeof states === 'string' ? states : states.join(' or ');
  const progress = startProgress(ctx.io.stderr, `waiting for job ${jobId} to be ${wanted}`);
  try {
    const status = await ctx.client.jobs.waitForStatus(jobId, states, {
      timeoutMs,
      ...(where ? { where } : {}),
      onStatus: (s) =>
        progress.update(`waiting for job ${jobId} to be ${wanted} (now ${s.status})`),
    });
    progress.done();
    return status;
  } catch (error) {
    progress.done();
    throw error;
  }
}
