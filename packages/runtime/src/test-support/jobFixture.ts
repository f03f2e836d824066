/**
 * @module
 * Test support (not exported): deploy commands built from job definitions the
 * way the JobManager builds them, hooks that record everything, and polling
 * waits with a deadline.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildJobGraph,
  type CheckpointAck,
  type CheckpointDecline,
  type DeployCommand,
  type DlqRecordReport,
  JobDefinitionDto,
  type JobDefinitionInput,
  type SnapshotResponse,
  type TaskLogLine,
  type TaskReport,
} from '@flinknet/contracts';
import type { ExecutionHooks } from '../startJob';

/** A deploy command for `input`, every subtask on this process. */
export function deployOf(
  input: JobDefinitionInput,
  options: { jobId?: string; attempt?: number; parallelism?: Record<string, number> } = {},
): DeployCommand {
  const definition = JobDefinitionDto.parse(input);
  const jobGraph = buildJobGraph(definition, options.parallelism ?? {});
  return {
    type: 'deploy',
    jobId: options.jobId ?? randomUUID(),
    attempt: options.attempt ?? 1,
    jobName: definition.jobName,
    definition,
    jobGraph,
    tasks: jobGraph.vertices.flatMap((v) =>
      Array.from({ length: v.parallelism }, (_, i) => ({ vertexId: v.id, subtaskIndex: i })),
    ),
    restore: null,
  };
}

/** Hooks that keep everything they are told. */
export class RecordingHooks implements ExecutionHooks {
  readonly states: TaskReport[] = [];
  readonly acks: CheckpointAck[] = [];
  readonly declines: CheckpointDecline[] = [];
  readonly logs: TaskLogLine[] = [];
  readonly dlq: DlqRecordReport[] = [];

  onTaskState(report: TaskReport): void {
    this.states.push(report);
  }
  onCheckpointAck(ack: CheckpointAck): void {
    this.acks.push(ack);
  }
  onCheckpointDecline(decline: CheckpointDecline): void {
    this.declines.push(decline);
  }
  onLog(line: TaskLogLine): void {
    this.logs.push(line);
  }
  onDlq(record: DlqRecordReport): void {
    this.dlq.push(record);
  }

  acksOf(checkpointId: number): CheckpointAck[] {
    return this.acks.filter((a) => a.checkpointId === checkpointId);
  }

  /** The stored form of a completed checkpoint, as the JobManager would return it. */
  snapshotOf(jobId: string, checkpointId: number): SnapshotResponse {
    const vertices: Record<string, unknown[]> = {};
    for (const ack of this.acksOf(checkpointId)) {
      const list = vertices[ack.vertexId] ?? [];
      list[ack.subtaskIndex] = ack.snapshot;
      vertices[ack.vertexId] = list;
    }
    return { jobId, checkpointId, vertices };
  }

  finalStates(): string[] {
    const last = new Map<string, string>();
    for (const s of this.states) last.set(`${s.vertexId}#${s.subtaskIndex}`, s.state);
    return [...last.values()];
  }
}

/** Polls `condition` every 20 ms until it holds, or throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh temp directory and its cleanup. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'flinknet-runtime-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every record in the committed (final) JSON-lines parts of a file sink directory. */
export async function committedRecords(dir: string): Promise<unknown[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const records: unknown[] = [];
  for (const name of names.filter((n) => /^part-.*\.jsonl$/.test(n)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n')) if (line !== '') records.push(JSON.parse(line));
  }
  return records;
}

/** Sums `value` per `key` over window results. */
export function sumPerKey(records: unknown[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of records as Array<{ key: string; value: number }>)
    sums.set(r.key, (sums.get(r.key) ?? 0) + r.value);
  return sums;
}

/** Lines of JSON for a file source. */
export function jsonLines(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Decodes a DLQ payload (base64 of UTF-8 JSON). */
export function decodePayload(payload: string): unknown {
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
}

/** Encodes a record as a DLQ payload. */
export function encodePayload(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

type StepInput = JobDefinitionInput['steps'][number];

/**
 * Runs file source (`records` as JSON lines) -> `steps` -> file sink to the
 * end and returns what the sink committed, with the hooks.
 */
export async function runPipeline(
  dataDir: string,
  records: unknown[],
  steps: StepInput[],
  options: { errorTolerance?: 'none' | 'all'; sink?: StepInput } = {},
): Promise<{ output: unknown[]; hooks: RecordingHooks }> {
  const { writeFile } = await import('node:fs/promises');
  const { startJob } = await import('../startJob');
  const { createRegistry } = await import('../registry');
  await writeFile(join(dataDir, 'in.jsonl'), jsonLines(records));
  const hooks = new RecordingHooks();
  const deploy = deployOf({
    jobName: 'pipeline',
    errorTolerance: options.errorTolerance ?? 'none',
    steps: [
      {
        name: 'in',
        operatorType: 'Source',
        typeName: 'file',
        operatorProperties: { path: 'in.jsonl' },
      },
      ...steps,
      options.sink ?? {
        name: 'out',
        operatorType: 'Sink',
        typeName: 'file',
        operatorProperties: { path: 'out' },
      },
    ],
  });
  const execution = startJob({ deploy, registry: createRegistry(), dataDir, restore: null, hooks });
  await execution.done;
  const failed = hooks.states.find((s) => s.state === 'FAILED');
  if (failed) throw new Error(`${failed.vertexId}#${failed.subtaskIndex} failed: ${failed.error}`);
  return { output: await committedRecords(join(dataDir, 'out')), hooks };
}
