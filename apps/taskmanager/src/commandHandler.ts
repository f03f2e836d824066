/**
 * @module
 * Turns JobManager commands into calls on running job executions. Commands of
 * one job run one after another (a checkpoint trigger waits for the deploy
 * before it); commands for an attempt this TaskManager does not run are
 * ignored, so a late command cannot touch a newer deployment.
 */
import type {
  DeployCommand,
  SnapshotResponse,
  TaskManagerCommand,
  TaskReport,
} from '@flinknet/contracts';
import type { ExecutionHooks, JobExecution, OperatorRegistry, TaskRuntime } from './runtimeApi';

export interface CommandHandlerOptions {
  runtime: Pick<TaskRuntime, 'startJob'>;
  registry: OperatorRegistry;
  dataDir: string;
  /** Fetches the snapshot a deploy restores from. */
  fetchSnapshot(jobId: string, checkpointId: number): Promise<SnapshotResponse>;
  /** Where executions report; the handler also reports deploy failures here. */
  hooks: ExecutionHooks;
  /** Process-level diagnostics (stderr in the real process). */
  log?: (message: string) => void;
}

/** The task reports of one heartbeat, and how to forget ended jobs once they were sent. */
export interface TaskReportSet {
  tasks: TaskReport[];
  /** Call after the heartbeat carrying `tasks` succeeded. */
  confirm(): void;
}

/** Runs commands against the executions this TaskManager owns. */
export class CommandHandler {
  /** The current attempt of each job, by job id. */
  private readonly executions = new Map<string, JobExecution>();
  /** Executions that ended but whose final states were not yet sent. */
  private readonly ended = new Set<JobExecution>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly log: (message: string) => void;

  constructor(private readonly options: CommandHandlerOptions) {
    this.log = options.log ?? (() => {});
  }

  /** Queues a command behind the earlier commands of its job; settles when it ran (never rejects). */
  handle(command: TaskManagerCommand): Promise<void> {
    const previous = this.queues.get(command.jobId) ?? Promise.resolve();
    const next = previous.then(() =>
      this.run(command).catch((error: unknown) => {
        this.log(
          `${command.type} of job ${command.jobId} attempt ${command.attempt} failed: ${message(error)}`,
        );
      }),
    );
    this.queues.set(command.jobId, next);
    void next.then(() => {
      if (this.queues.get(command.jobId) === next) this.queues.delete(command.jobId);
    });
    return next;
  }

  /** The attempt of a job this TaskManager runs, if any. */
  execution(jobId: string): JobExecution | undefined {
    return this.executions.get(jobId);
  }

  /** Number of jobs with a running execution here. */
  get runningJobs(): number {
    return this.executions.size;
  }

  /** Current reports of every running subtask plus the final ones not yet sent. */
  collectTaskReports(): TaskReportSet {
    const ended = [...this.ended];
    const tasks = [...this.executions.values(), ...ended].flatMap((execution) =>
      safeReports(execution),
    );
    return {
      tasks,
      confirm: () => {
        for (const execution of ended) this.ended.delete(execution);
      },
    };
  }

  /** Cancels every execution (shutdown); resolves when all ended or `timeoutMs` passed. */
  async cancelAll(timeoutMs = 5000): Promise<void> {
    const all = [...this.executions.values()];
    const cancels = Promise.allSettled(all.map((execution) => execution.cancel()));
    await Promise.race([cancels, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    for (const execution of all) this.retire(execution);
  }

  private async run(command: TaskManagerCommand): Promise<void> {
    if (command.type === 'deploy') return this.deploy(command);
    const execution = this.executions.get(command.jobId);
    if (!execution || execution.attempt !== command.attempt) {
      this.log(
        `ignoring ${command.type} for job ${command.jobId} attempt ${command.attempt}: not running here`,
      );
      return;
    }
    switch (command.type) {
      case 'cancel':
        await execution.cancel();
        this.retire(execution);
        return;
      case 'checkpoint':
        await execution.triggerCheckpoint(command.checkpointId, command.kind, command.timestamp);
        return;
      case 'checkpointComplete':
        await execution.notifyCheckpointComplete(command.checkpointId);
        return;
      case 'finish':
        await execution.finish();
        return;
      case 'resubmitDlq':
        await execution.resubmit(command.records);
        return;
    }
  }

  private async deploy(command: DeployCommand): Promise<void> {
    const current = this.executions.get(command.jobId);
    if (current && current.attempt >= command.attempt) {
      this.log(
        `ignoring deploy of job ${command.jobId} attempt ${command.attempt}: attempt ${current.attempt} runs`,
      );
      return;
    }
    if (current) {
      // A newer attempt replaces the old one; its tasks must stop writing first.
      await current
        .cancel()
        .catch((error: unknown) =>
          this.log(`cancel of a replaced attempt failed: ${message(error)}`),
        );
      this.retire(current);
    }
    let execution: JobExecution;
    try {
      const restore = command.restore
        ? await this.options.fetchSnapshot(command.jobId, command.restore.checkpointId)
        : null;
      execution = this.options.runtime.startJob({
        deploy: command,
        registry: this.options.registry,
        dataDir: this.options.dataDir,
        restore,
        hooks: this.options.hooks,
      });
    } catch (error) {
      this.failDeploy(command, error);
      return;
    }
    this.executions.set(command.jobId, execution);
    execution.done.then(
      () => this.retire(execution),
      (error: unknown) => {
        this.log(
          `job ${command.jobId} attempt ${command.attempt} ended with an error: ${message(error)}`,
        );
        this.retire(execution);
      },
    );
  }

  /** Reports every task of a deploy that could not start as FAILED, with the cause. */
  private failDeploy(command: DeployCommand, error: unknown): void {
    const reason = `deploy failed: ${message(error)}`;
    this.log(`job ${command.jobId} attempt ${command.attempt}: ${reason}`);
    this.options.hooks.onLog({
      jobId: command.jobId,
      attempt: command.attempt,
      level: 'ERROR',
      source: 'taskmanager',
      message: reason.slice(0, 10_000),
      timestamp: new Date().toISOString(),
    });
    for (const task of command.tasks) {
      this.options.hooks.onTaskState({
        jobId: command.jobId,
        attempt: command.attempt,
        vertexId: task.vertexId,
        subtaskIndex: task.subtaskIndex,
        state: 'FAILED',
        error: reason.slice(0, 10_000),
      });
    }
  }

  /** Moves an execution from running to ended-but-unreported. */
  private retire(execution: JobExecution): void {
    if (this.executions.get(execution.jobId) === execution) this.executions.delete(execution.jobId);
    this.ended.add(execution);
  }
}

function safeReports(execution: JobExecution): TaskReport[] {
  try {
    return execution.reports();
  } catch {
    return [];
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
