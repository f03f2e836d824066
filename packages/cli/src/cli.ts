/**
 * @module
 * The `flinknet` program: global flags, the commands, and one place that
 * turns failures into messages and exit codes (0 ok, 1 API, 2 usage).
 */
import { Command, CommanderError } from 'commander';
import { registerActionCommands } from './commands/actions';
import { registerCheckpointCommands } from './commands/checkpoints';
import { registerClusterCommands } from './commands/cluster';
import { registerDlqCommands } from './commands/dlq';
import { registerJobCommands } from './commands/jobs';
import { registerLogCommands } from './commands/logs';
import { registerWatchCommand } from './commands/watch';
import { DEFAULT_URL } from './config';
import { positiveInt } from './context';
import { describeFailure, EXIT_OK, EXIT_USAGE } from './errors';
import type { Io } from './io';

export const VERSION = '0.1.0';

const FOOTER = `
Environment:
  FLINKNET_URL        JobManager URL (default ${DEFAULT_URL})
  FLINKNET_TOKEN      API token (default: the contents of $FLINKNET_DATA_DIR/admin.token)
  FLINKNET_DATA_DIR   data dir of the local cluster (default .flinknet)

Exit codes: 0 success, 1 API or network error, 2 usage error.

Examples:
  flinknet submit job.json --wait RUNNING
  flinknet list --status RUNNING,RESTARTING
  flinknet scale <jobId> --parallelism 4 --operator per-user
  flinknet logs <jobId> --follow --level WARN
  flinknet watch <jobId>`;

/** Builds the program; commands write to `io`. */
export function createProgram(io: Io, onError: () => void = () => {}): Command {
  const program = new Command('flinknet')
    .description('Submit, watch and manage FlinkNet jobs')
    .version(VERSION, '-V, --version')
    .option('--url <url>', 'JobManager URL (default: $FLINKNET_URL, else ' + DEFAULT_URL + ')')
    .option('--token <token>', 'API token (default: $FLINKNET_TOKEN, else the local admin.token)')
    .option('--json', 'print JSON for scripts instead of tables')
    .option('--timeout <ms>', 'deadline of each API call', positiveInt)
    .addHelpText('after', FOOTER)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => {
        onError();
        io.stderr.write(text);
      },
    })
    .exitOverride();
  registerJobCommands(program, io);
  registerActionCommands(program, io);
  registerCheckpointCommands(program, io);
  registerLogCommands(program, io);
  registerDlqCommands(program, io);
  registerClusterCommands(program, io);
  registerWatchCommand(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let printed = false;
  const program = createProgram(io, () => {
    printed = true;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // help or version, already printed
      // Parse errors were printed by commander; ones thrown by an action were not.
      if (!printed)
        io.stderr.write(`${error.message.startsWith('error:') ? '' : 'error: '}${error.message}\n`);
      return EXIT_USAGE;
    }
    const { lines, exitCode } = describeFailure(error);
    io.stderr.write(`${lines.join('\n')}\n`);
    return exitCode;
  }
}
