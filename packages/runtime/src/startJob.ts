/**
 * @module
 * startJob: turns a DeployCommand into running subtasks wired by channels,
 * and the JobExecution handle the TaskManager drives (checkpoints, commits,
 * finish, cancel, DLQ resubmission, reports).
 */
import type {
  CheckpointAck,
  CheckpointDecline,
  CheckpointKind,
  DeployCommand,
  DlqRecordReport,
  SnapshotResponse,
  TaskLogLine,
  TaskReport,
} from '@flinknet/contracts';
import type { OperatorFunctionDefinition } from './api';
import { DirectTarget, type ElementTarget } from './channels/DirectTarget';
import { restoredStateFor } from './checkpoint/snapshots';
import { Execution } from './Execution';
import type { KeySelector } from './expressions/keySelector';
import type { OperatorRegistry } from './registry';
import { type ChainedStage, chainOperator, chainSource } from './task/chain';
import { OutputRouter } from './task/OutputRouter';
import { SourceTask } from './task/SourceTask';
import { StreamTask } from './task/StreamTask';
import type { Subtask } from './task/Subtask';

export interface ExecutionHooks {
  /** Every state change of a subtask. */
  onTaskState(report: TaskReport): void;
  /** One per subtask per checkpoint; `snapshot` is a private JSON-ready copy. */
  onCheckpointAck(ack: CheckpointAck): void;
  onCheckpointDecline(decline: CheckpointDecline): void;
  onLog(line: TaskLogLine): void;
  onDlq(record: DlqRecordReport): void;
}

export interface StartJobOptions {
  deploy: DeployCommand;
  registry: OperatorRegistry;
  /** Root of file source and sink paths; nothing outside it is read or written. */
  dataDir: string;
  /** Snapshots of the checkpoint to restore, by vertex id, indexed by the old subtask index. */
  restore: SnapshotResponse | null;
  hooks: ExecutionHooks;
}

export interface ResubmittedRecord {
  messageId: string;
  stepName: string;
  /** base64 of the UTF-8 JSON of the record. */
  payload: string;
}

export interface JobExecution {
  readonly jobId: string;
  readonly attempt: number;
  /** Injects barriers at the sources; finished subtasks acknowledge with their final state. */
  triggerCheckpoint(checkpointId: number, kind: CheckpointKind, timestamp: number): void;
  /** Sinks commit what they staged up to this checkpoint. */
  notifyCheckpointComplete(checkpointId: number): Promise<void>;
  /** Sources stop, windows fire, everything drains, tasks report FINISHED. */
  finish(): void;
  /** Stops every subtask promptly and resolves when all are stopped. */
  cancel(): Promise<void>;
  /** Feeds DLQ records back into the step that rejected them. */
  resubmit(records: ResubmittedRecord[]): void;
  /** State and metrics of every subtask. */
  reports(): TaskReport[];
  /** Settles when every subtask ended (finished, canceled or failed). */
  readonly done: Promise<void>;
}

/** The deployment cannot run (unknown operator, bad graph, missing subtasks, bad restore). */
export class StartJobError extends Error {
  override readonly name = 'StartJobError';
}

/**
 * Starts every subtask of a deployment in this process and returns its
 * handle. Throws StartJobError when the deployment cannot run at all; a
 * failure later (bad path, bad restore state, user code) fails the subtask.
 */
export function startJob(options: StartJobOptions): JobExecution {
  const { deploy, registry, restore } = options;
  if (typeof options.dataDir !== 'string' || options.dataDir === '')
    throw new StartJobError('dataDir must be a directory path');
  if (restore && restore.jobId !== deploy.jobId) {
    throw new StartJobError(
      `restore snapshot belongs to job ${restore.jobId}, not ${deploy.jobId}`,
    );
  }
  const execution = new Execution(deploy, options);
  const vertices = [...deploy.jobGraph.vertices].sort((a, b) => a.index - b.index);
  if (vertices.length < 2)
    throw new StartJobError('the job graph needs at least a source and a sink');
  const wanted = new Set(deploy.tasks.map((t) => `${t.vertexId}#${t.subtaskIndex}`));
  for (const vertex of vertices) {
    for (let i = 0; i < vertex.parallelism; i++) {
      if (!wanted.delete(`${vertex.id}#${i}`)) {
        throw new StartJobError(
          `subtask ${vertex.id}#${i} is not deployed here; all subtasks of a job must run in one TaskManager`,
        );
      }
    }
  }
  if (wanted.size > 0)
    throw new StartJobError(`deployed subtasks not in the job graph: ${[...wanted].join(', ')}`);

  vertices.forEach((vertex, position) => {
    const step = deploy.definition.steps.find((s) => s.name === vertex.id);
    if (!step) throw new StartJobError(`vertex "${vertex.id}" has no step in the job definition`);
    const chained = (step.chainedOperators ?? []).map((c) => {
      const chainedDefinition = registry.get('Operator', c.typeName);
      if (chainedDefinition?.operatorType !== 'Operator') {
        throw new StartJobError(
          `no Operator "${c.typeName}" is registered here (chained operator "${c.name}" of step "${step.name}")`,
        );
      }
      if (deploy.definition.steps.some((s) => s.name === c.name)) {
        throw new StartJobError(`chained operator "${c.name}" has the name of a step`);
      }
      const chainedStep = {
        name: c.name,
        operatorType: 'Operator' as const,
        typeName: c.typeName,
        operatorProperties: c.operatorProperties ?? {},
      };
      return { definition: chainedDefinition, step: chainedStep };
    });
    if (chained.length > 0 && vertex.operatorType === 'Sink') {
      throw new StartJobError(`step "${step.name}": a Sink cannot have chainedOperators`);
    }
    const definition = registry.get(vertex.operatorType, vertex.typeName);
    if (!definition) {
      throw new StartJobError(
        `no ${vertex.operatorType} "${vertex.typeName}" is registered here (step "${vertex.id}")`,
      );
    }
    const expected =
      position === 0 ? 'Source' : position === vertices.length - 1 ? 'Sink' : 'Operator';
    if (vertex.operatorType !== expected)
      throw new StartJobError(`vertex "${vertex.id}" must be a ${expected}`);
    if (vertex.parallelism > vertex.maxParallelism) {
      throw new StartJobError(
        `vertex "${vertex.id}" parallelism ${vertex.parallelism} exceeds maxParallelism ${vertex.maxParallelism}`,
      );
    }
    const inputEdge =
      position === 0 ? null : deploy.jobGraph.edges.find((e) => e.target === vertex.id);
    if (position > 0 && !inputEdge)
      throw new StartJobError(`vertex "${vertex.id}" has no input edge`);
    const upstream = vertices[position - 1];
    if (inputEdge && upstream && inputEdge.source !== upstream.id) {
      throw new StartJobError(`edge into "${vertex.id}" must come from "${upstream.id}"`);
    }
    if (
      inputEdge?.shipStrategy === 'FORWARD' &&
      upstream &&
      upstream.parallelism !== vertex.parallelism
    ) {
      throw new StartJobError(
        `FORWARD edge ${upstream.id} -> ${vertex.id} needs equal parallelism`,
      );
    }
    const tasks: Subtask[] = [];
    for (let i = 0; i < vertex.parallelism; i++) {
      let restored = null;
      if (restore) {
        try {
          restored = restoredStateFor(
            restore.vertices[vertex.id] ?? [],
            vertex.id,
            i,
            vertex.parallelism,
          );
        } catch (error) {
          throw new StartJobError(
            `cannot restore checkpoint ${restore.checkpointId}: ${(error as Error).message}`,
          );
        }
      }
      const task =
        definition.operatorType === 'Source'
          ? new SourceTask(execution, vertex, step, i, restored, definition)
          : new StreamTask(
              execution,
              vertex,
              step,
              i,
              restored,
              definition,
              inputEdge!.shipStrategy === 'FORWARD' ? 1 : upstream!.parallelism,
            );
      if (chained.length > 0) {
        const stages: ChainedStage[] = chained.map((c) => ({
          name: c.step.name,
          definition: c.definition,
          context: () => task.createContext(c.step),
        }));
        if (task instanceof SourceTask) task.definition = chainSource(task.definition, stages);
        else task.definition = chainOperator(task.definition as OperatorFunctionDefinition, stages);
      }
      tasks.push(task);
      execution.tasks.push(task);
    }
    execution.byVertex.set(vertex.id, tasks);
    for (const [i, c] of chained.entries()) {
      execution.chainedSteps.set(c.step.name, { vertexId: vertex.id, position: i + 1 });
    }
  });

  // Wire every producer subtask to its consumers' input channels.
  const chainHead = new Map<Subtask, Subtask>();
  vertices.forEach((vertex, position) => {
    const producers = execution.byVertex.get(vertex.id)!;
    const downstream = vertices[position + 1];
    const edge = downstream
      ? deploy.jobGraph.edges.find((e) => e.source === vertex.id && e.target === downstream.id)!
      : null;
    const consumers = downstream ? (execution.byVertex.get(downstream.id) as StreamTask[]) : [];
    let selector: KeySelector | null = null;
    if (edge?.shipStrategy === 'HASH') {
      if (!downstream!.keySelector)
        throw new StartJobError(`HASH edge into "${downstream!.id}" has no key selector`);
      try {
        selector = execution.keySelector(downstream!);
      } catch (error) {
        throw new StartJobError(`step "${downstream!.id}": ${(error as Error).message}`);
      }
    }
    producers.forEach((producer, p) => {
      let targets: ElementTarget[] = [];
      if (edge?.shipStrategy === 'FORWARD') {
        // Operator chaining: the consumer runs inside the producer's loop.
        const consumer = consumers[p]!;
        consumer.chainToUpstream();
        targets = [new DirectTarget(consumer)];
        const head = chainHead.get(producer) ?? producer;
        chainHead.set(consumer, head);
        head.chainMembers.push(consumer);
      } else if (edge) targets = consumers.map((c) => c.gate.channels[p]!);
      producer.router = new OutputRouter(
        targets,
        edge?.shipStrategy ?? 'FORWARD',
        selector,
        downstream?.maxParallelism ?? vertex.maxParallelism,
        producer.metrics,
        (value, error) => producer.reject(value, error),
      );
    });
  });
  execution.start();
  return execution;
}
