/**
 * @module
 * Composes a TaskManager: loads operators, registers, heartbeats, long-polls
 * commands and runs jobs with @flinknet/runtime. Used by `main.ts` and by
 * anything that wants a TaskManager in-process (the local cluster, tests).
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { TaskManagerCommand } from '@flinknet/contracts';
import { retry } from './backoff';
import { CommandHandler } from './commandHandler';
import { CommandPoller } from './commandPoller';
import { defaultTaskManagerId } from './config';
import { isRetryable } from './errors';
import { HeartbeatLoop } from './heartbeatLoop';
import { createProtocolClient } from './protocolClient';
import { Registration } from './registration';
import { ReportOutbox } from './reportOutbox';
import { type ExecutionHooks, flinknetRuntime, type TaskRuntime } from './runtimeApi';

export const TASKMANAGER_VERSION = '0.1.0';

export interface StartTaskManagerOptions {
  /** Base URL of the JobManager, e.g. `http://127.0.0.1:8081`. */
  jobManagerUrl: string;
  /** Bearer token for the `/internal/v1/` routes. */
  token?: string | undefined;
  /** Task slots offered; default 4. */
  slots?: number;
  /** Absolute paths of operator plugin modules to load before registering. */
  plugins?: string[];
  /** Root of file sources and sinks and of local task state. */
  dataDir: string;
  /** Default: `tm-<host>-<pid>-<random>`. */
  id?: string | undefined;
  /** Overrides the interval the JobManager asks for. */
  heartbeatIntervalMs?: number | undefined;
  /** Long-poll wait; default 25 s. */
  pollWaitMs?: number;
  /** Default: the real @flinknet/runtime. */
  runtime?: TaskRuntime;
  /** Diagnostics; default writes `[taskmanager <id>] ...` to stderr. */
  log?: (message: string) => void;
}

export interface RunningTaskManager {
  readonly id: string;
  /** Operators offered at registration (`"<OperatorType>:<typeName>"`). */
  readonly operators: readonly string[];
  /** Resolves once the first registration succeeded. */
  readonly registered: Promise<void>;
  /** Cancels all tasks, sends a last heartbeat and stops every loop. */
  stop(): Promise<void>;
}

/**
 * Starts a TaskManager that registers with the JobManager (retrying until it
 * answers) and runs what it is told to.
 *
 * @example
 * const tm = await startTaskManager({ jobManagerUrl: 'http://127.0.0.1:8081', dataDir: '/tmp/tm' });
 * await tm.stop();
 */
export async function startTaskManager(
  options: StartTaskManagerOptions,
): Promise<RunningTaskManager> {
  const id = options.id ?? defaultTaskManagerId();
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[taskmanager ${id}] ${message}\n`));
  const runtime = options.runtime ?? flinknetRuntime;
  await mkdir(options.dataDir, { recursive: true });

  const registry = runtime.createRegistry();
  for (const plugin of options.plugins ?? []) {
    const added = await runtime.loadPlugin(registry, plugin);
    log(`loaded plugin ${plugin}: ${added.join(', ') || 'no operators'}`);
  }
  const operators = registry.offered();

  const client = createProtocolClient({ baseUrl: options.jobManagerUrl, token: options.token });
  const registration = new Registration(
    client,
    () => ({
      taskManagerId: id,
      address: `${hostname()}:${process.pid}`,
      slots: options.slots ?? 4,
      version: TASKMANAGER_VERSION,
      operators,
    }),
    log,
    // A JobManager that forgot us (it restarted, or declared us lost) has
    // redeployed or will redeploy our jobs under new attempts; the old ones
    // must not keep writing (a bounded source would even commit its output).
    () => {
      if (handler.runningJobs === 0) return;
      log(
        `cancelling ${handler.runningJobs} job(s) the JobManager no longer assigns to this TaskManager`,
      );
      void handler.cancelAll();
    },
  );
  const outbox = new ReportOutbox();
  // Assigned below; hooks only fire once jobs run, after the loop exists.
  let heartbeat: HeartbeatLoop | undefined;
  const flushSoon = () => heartbeat?.flushSoon();
  const hooks: ExecutionHooks = {
    onTaskState: (report) => {
      outbox.addTaskChange(report);
      flushSoon();
    },
    onCheckpointAck: (ack) => {
      outbox.addAck(ack);
      flushSoon();
    },
    onCheckpointDecline: (decline) => {
      outbox.addDecline(decline);
      flushSoon();
    },
    onLog: (line) => outbox.addLog(line),
    onDlq: (record) => {
      outbox.addDlq(record);
      flushSoon();
    },
  };
  const handler = new CommandHandler({
    runtime,
    registry,
    dataDir: options.dataDir,
    // A deploy that cannot restore fails the attempt; ride out short JobManager hiccups first.
    fetchSnapshot: (jobId, checkpointId) =>
      retry(() => client.snapshot(jobId, checkpointId), 4, isRetryable),
    hooks,
    log,
  });
  const dispatch = (commands: TaskManagerCommand[]) => {
    for (const command of commands) void handler.handle(command);
  };
  heartbeat = new HeartbeatLoop({
    taskManagerId: id,
    client,
    registration,
    outbox,
    handler,
    dispatch,
    intervalMs: options.heartbeatIntervalMs,
    log,
  });
  const poller = new CommandPoller({
    taskManagerId: id,
    client,
    registration,
    dispatch,
    waitMs: options.pollWaitMs,
    log,
  });

  const registered = registration.ensure().then(() => undefined);
  registered.catch(() => {});
  heartbeat.start();
  poller.start();

  let stopping: Promise<void> | undefined;
  return {
    id,
    operators,
    registered,
    stop: () => {
      stopping ??= (async () => {
        // Stop registering first: the loops may be waiting on a JobManager that is gone.
        registration.stop();
        await poller.stop();
        await handler.cancelAll();
        await heartbeat.stop();
        await heartbeat.sendFinal();
      })();
      return stopping;
    },
  };
}
