/**
 * @module
 * A scripted TaskManager for tests: it speaks the real protocol over HTTP
 * (or through a test app's `fetch`) and either answers commands when told to, or,
 * in auto mode, like a well-behaved TaskManager: deployed tasks report
 * RUNNING, checkpoints are acknowledged with small JSON snapshots, finish and
 * cancel end the tasks.
 */
import type {
  DeployCommand,
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterResponse,
  TaskManagerCommand,
  TaskReport,
  TaskState,
  TriggerCheckpointCommand,
} from '@flinknet/contracts';

export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

export const ALL_OPERATORS = [
  'Source:sequence',
  'Operator:map',
  'Operator:key-by',
  'Sink:discard',
  'Sink:file',
];

export interface ScriptedTaskManagerOptions {
  id: string;
  fetch: Fetcher;
  slots?: number;
  operators?: string[];
}

/** A TaskManager whose every move the test controls (or leaves to auto mode). */
export class ScriptedTaskManager {
  readonly received: TaskManagerCommand[] = [];
  /** Snapshots this TaskManager was asked to restore, by job. */
  readonly restored: Array<{
    jobId: string;
    checkpointId: number;
    vertices: Record<string, unknown[]>;
  }> = [];
  #auto = false;
  #loop: Promise<void> | undefined;
  #abort = new AbortController();

  constructor(readonly options: ScriptedTaskManagerOptions) {}

  get id(): string {
    return this.options.id;
  }

  async register(): Promise<RegisterResponse> {
    return this.#post('/internal/v1/register', {
      taskManagerId: this.id,
      address: `scripted://${this.id}`,
      slots: this.options.slots ?? 4,
      version: 'test',
      operators: this.options.operators ?? ALL_OPERATORS,
    });
  }

  /** Sends a heartbeat with the given reports and keeps the commands it answers. */
  async heartbeat(
    reports: Omit<HeartbeatRequest, 'taskManagerId'> = {},
  ): Promise<HeartbeatResponse> {
    const response = await this.#post<HeartbeatResponse>('/internal/v1/heartbeat', {
      taskManagerId: this.id,
      ...reports,
    });
    this.received.push(...response.commands);
    return response;
  }

  /** One long-poll for commands. */
  async poll(waitMs: number, signal?: AbortSignal): Promise<HeartbeatResponse> {
    const res = await this.options.fetch(
      `/internal/v1/taskmanagers/${this.id}/commands?waitMs=${waitMs}`,
      { signal },
    );
    if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as HeartbeatResponse;
    this.received.push(...body.commands);
    return body;
  }

  /** The newest command of a type for a job. */
  last<T extends TaskManagerCommand['type']>(
    type: T,
    jobId?: string,
  ): Extract<TaskManagerCommand, { type: T }> | undefined {
    return this.received
      .filter((c) => c.type === type && (jobId === undefined || c.jobId === jobId))
      .at(-1) as Extract<TaskManagerCommand, { type: T }> | undefined;
  }

  /** Task reports of every task of a deployment in one state. */
  static reports(deploy: DeployCommand, state: TaskState, error?: string): TaskReport[] {
    return deploy.tasks.map((t) => ({
      jobId: deploy.jobId,
      attempt: deploy.attempt,
      ...t,
      state,
      ...(error ? { error } : {}),
    }));
  }

  /** Acknowledgements of every task of a deployment for a checkpoint, with a snapshot naming the task. */
  static acks(deploy: DeployCommand, checkpoint: TriggerCheckpointCommand) {
    return deploy.tasks.map((t) => ({
      jobId: deploy.jobId,
      attempt: deploy.attempt,
      ...t,
      checkpointId: checkpoint.checkpointId,
      snapshot: { task: `${t.vertexId}[${t.subtaskIndex}]`, offset: checkpoint.checkpointId * 10 },
      stateSizeBytes: 10,
    }));
  }

  /** Runs like a real TaskManager (heartbeat + long-poll, answering every command) until `stop()`. */
  startAuto(heartbeatMs = 50): void {
    this.#auto = true;
    const heartbeats = (async () => {
      while (this.#auto) {
        await this.#safe(async () => {
          const response = await this.heartbeat();
          if (!response.registered) await this.register();
          await this.#answer(response.commands);
        });
        await sleep(heartbeatMs);
      }
    })();
    const polls = (async () => {
      while (this.#auto) {
        await this.#safe(async () => {
          const response = await this.poll(1000, this.#abort.signal);
          await this.#answer(response.commands);
        });
        if (this.#auto) await sleep(5);
      }
    })();
    this.#loop = Promise.all([heartbeats, polls]).then(() => undefined);
  }

  /** Stops auto mode: no more heartbeats or polls (a lost TaskManager). */
  async stop(): Promise<void> {
    this.#auto = false;
    this.#abort.abort();
    await this.#loop;
    this.#abort = new AbortController();
  }

  async #answer(commands: TaskManagerCommand[]): Promise<void> {
    for (const command of commands) {
      const deploy = this.last('deploy', command.jobId);
      if (command.type === 'deploy') {
        if (command.restore) {
          const res = await this.options.fetch(
            `/internal/v1/jobs/${command.jobId}/checkpoints/${command.restore.checkpointId}`,
          );
          if (res.status === 200)
            this.restored.push((await res.json()) as (typeof this.restored)[number]);
        }
        await this.#reply({ tasks: ScriptedTaskManager.reports(command, 'RUNNING') });
      } else if (!deploy || deploy.attempt !== command.attempt) {
      } else if (command.type === 'checkpoint') {
        await this.#reply({ checkpointAcks: ScriptedTaskManager.acks(deploy, command) });
      } else if (command.type === 'finish') {
        await this.#reply({ tasks: ScriptedTaskManager.reports(deploy, 'FINISHED') });
      } else if (command.type === 'cancel') {
        await this.#reply({ tasks: ScriptedTaskManager.reports(deploy, 'CANCELED') });
      }
    }
  }

  /** Reports, then answers whatever commands the heartbeat brought back. */
  async #reply(reports: Omit<HeartbeatRequest, 'taskManagerId'>): Promise<void> {
    const response = await this.heartbeat(reports);
    await this.#answer(response.commands);
  }

  async #safe(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (this.#auto && (error as Error).name !== 'AbortError') await sleep(20);
    }
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.options.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
