/**
 * @module
 * What subtasks need from the job execution they belong to.
 */
import type { DeployCommand, JobDefinitionDto } from '@flinknet/contracts';
import type { ExecutionHooks } from '../startJob';
import type { Subtask } from './Subtask';

export interface ExecutionEnvironment {
  readonly jobId: string;
  readonly attempt: number;
  readonly dataDir: string;
  readonly definition: JobDefinitionDto;
  readonly deploy: DeployCommand;
  readonly hooks: ExecutionHooks;
  /** A subtask acknowledged or declined a checkpoint. */
  acknowledged(task: Subtask, checkpointId: number): void;
  /** A subtask finished: it acknowledges pending checkpoints with its final state. */
  taskFinished(task: Subtask): void;
  /** A subtask failed: the others are stopped. */
  taskFailed(task: Subtask): void;
}
