/**
 * @module
 * A stand-in for @flinknet/runtime in unit tests: records what the TaskManager
 * asks of each execution and lets the test end it.
 */
import type { TaskReport } from '@flinknet/contracts';
import type { JobExecution, OperatorRegistry, StartJobOptions, TaskRuntime } from '../runtimeApi';

export class FakeExecution implements JobExecution {
  readonly jobId: string;
  readonly attempt: number;
  readonly calls: string[] = [];
  readonly done: Promise<void>;
  state: TaskReport['state'] = 'RUNNING';
  private end!: () => void;

  constructor(readonly options: StartJobOptions) {
    this.jobId = options.deploy.jobId;
    this.attempt = options.deploy.attempt;
    this.done = new Promise((resolve) => {
      this.end = resolve;
    });
  }

  triggerCheckpoint(checkpointId: number, kind: string): void {
    this.calls.push(`checkpoint ${checkpointId} ${kind}`);
    for (const task of this.options.deploy.tasks) {
      this.options.hooks.onCheckpointAck({
        ...this.key(task),
        checkpointId,
        snapshot: { n: 1 },
        stateSizeBytes: 7,
      });
    }
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    this.calls.push(`complete ${checkpointId}`);
  }

  finish(): void {
    this.calls.push('finish');
    this.settle('FINISHED');
  }

  async cancel(): Promise<void> {
    this.calls.push('cancel');
    this.settle('CANCELED');
  }

  resubmit(records: { messageId: string }[]): void {
    this.calls.push(`resubmit ${records.map((r) => r.messageId).join(',')}`);
  }

  reports(): TaskReport[] {
    return this.options.deploy.tasks.map((task) => ({ ...this.key(task), state: this.state }));
  }

  /** Ends every subtask in `state` and reports it, as the runtime would. */
  settle(state: TaskReport['state']): void {
    this.state = state;
    for (const task of this.options.deploy.tasks)
      this.options.hooks.onTaskState({ ...this.key(task), state });
    this.end();
  }

  private key(task: { vertexId: string; subtaskIndex: number }) {
    return {
      jobId: this.jobId,
      attempt: this.attempt,
      vertexId: task.vertexId,
      subtaskIndex: task.subtaskIndex,
    };
  }
}

/** A runtime whose registry offers `operators` and whose jobs are FakeExecutions. */
export function createFakeRuntime(operators = ['Source:sequence', 'Sink:file']) {
  const executions: FakeExecution[] = [];
  const registry: OperatorRegistry = { offered: () => [...operators] };
  const runtime: TaskRuntime & { executions: FakeExecution[]; failNextStart?: Error } = {
    executions,
    createRegistry: () => registry,
    loadPlugin: async (_registry, modulePath) => {
      operators.push(`Operator:${modulePath.split('/').pop()}`);
      return [modulePath];
    },
    startJob(options) {
      if (runtime.failNextStart) {
        const error = runtime.failNextStart;
        runtime.failNextStart = undefined;
        throw error;
      }
      const execution = new FakeExecution(options);
      executions.push(execution);
      return execution;
    },
  };
  return runtime;
}
