#!/usr/bin/env node
/**
 * @module
 * `flinknet-taskmanager`: the worker process. Registers with the JobManager,
 * runs the tasks it is given, and on SIGTERM/SIGINT cancels them, sends a last
 * heartbeat and exits 0.
 */
import { parseConfig, USAGE, UsageError, wantsHelp } from './config';
import { startTaskManager } from './startTaskManager';

const argv = process.argv.slice(2);
if (wantsHelp(argv)) {
  console.log(`${USAGE}
Flags override FLINKNET_URL, FLINKNET_TOKEN, FLINKNET_SLOTS and FLINKNET_DATA_DIR.`);
  process.exit(0);
}

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(argv, process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`error: ${error.message} (see --help)`);
  process.exit(2);
}

const taskManager = await startTaskManager({ ...config, plugins: config.plugins }).catch(
  (error: unknown) => {
    console.error(`error: the TaskManager could not start: ${(error as Error).message}`);
    process.exit(1);
  },
);

console.log(
  `TaskManager ${taskManager.id} started: ${config.slots} slots, data in ${config.dataDir}, JobManager ${config.jobManagerUrl}`,
);
taskManager.registered.then(
  () => console.log(`TaskManager ${taskManager.id} registered`),
  () => {},
);

let shuttingDown = false;
function shutdown(signal: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`TaskManager ${taskManager.id}: ${signal}, cancelling tasks`);
  // A JobManager that hangs must not keep the process alive forever.
  setTimeout(() => {
    console.error('error: shutdown took longer than 15 s; exiting');
    process.exit(1);
  }, 15_000).unref();
  taskManager.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`error: shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
