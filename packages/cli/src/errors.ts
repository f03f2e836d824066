/**
 * @module
 * Exit codes: 0 success, 1 the API (or the network) said no, 2 the command
 * line is wrong.
 */
import { isFlinkNetClientError, isFlinkNetError } from '@flinknet/client';

export const EXIT_OK = 0;
export const EXIT_API = 1;
export const EXIT_USAGE = 2;

/** A bad command line (unreadable job file, bad flag value): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The lines to print and the exit code for an error that ended a command. */
export function describeFailure(error: unknown): { lines: string[]; exitCode: number } {
  if (error instanceof UsageError)
    return { lines: [`error: ${error.message}`], exitCode: EXIT_USAGE };
  if (isFlinkNetError(error)) {
    const head = error.detail ? `${error.title}: ${error.detail}` : error.title;
    const fields = error.errors.map((issue) => `  ${issue.path}: ${issue.message}`);
    return { lines: [`error: ${head}`, ...fields], exitCode: EXIT_API };
  }
  if (isFlinkNetClientError(error))
    return { lines: [`error: ${error.message}`], exitCode: EXIT_API };
  const message = error instanceof Error ? error.message : String(error);
  return { lines: [`error: ${message}`], exitCode: EXIT_API };
}
