/**
 * @module
 * The route table: the index of the system. The server routes and validates
 * each entry, the SDK names one method per entry, the OpenAPI document is
 * generated from it, and auth reads `role` from it.
 */
import { z } from 'zod';
import { CheckpointDetailDto, CheckpointInfoDto, CheckpointListQuery } from './checkpoints';
import { CheckpointId, JobId, MessageId } from './common';
import {
  DlqListQuery,
  DlqMessageDto,
  DlqMessageUpdateDto,
  DlqResubmitRequestDto,
  DlqResubmitResultDto,
} from './dlq';
import { JobDefinitionDto } from './job-definition';
import {
  JobDetailDto,
  JobListQuery,
  JobOverviewDto,
  JobStatusDto,
  RestartRequestDto,
  ScaleParametersDto,
  StopRequestDto,
} from './jobs';
import { LogEntryDto, LogListQuery } from './logs';
import { VertexMetricsDto } from './metrics';
import {
  HeartbeatRequest,
  HeartbeatResponse,
  PollQuery,
  RegisterRequest,
  RegisterResponse,
  SnapshotResponse,
} from './protocol';
import { ClusterOverviewDto, TaskManagerInfo } from './taskmanagers';
import {
  AuditEntryDto,
  AuditListQuery,
  CreatedTokenDto,
  CreateTokenRequestDto,
  type RouteRole,
  TokenDto,
} from './tokens';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** How the success body is encoded: JSON (validated by `schema`), SSE or plain text. */
export type BodyKind = 'json' | 'sse' | 'text' | 'html' | 'none';

export interface RouteDef {
  /** Unique name: the handler, the SDK method and the OpenAPI operationId derive from it. */
  readonly name: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/jobmanager/jobs/{jobId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: 'jobs' | 'checkpoints' | 'dlq' | 'cluster' | 'tokens' | 'internal' | 'system';
  readonly role: RouteRole;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly bodyRequired?: boolean;
  readonly headers?: z.ZodObject;
  readonly success: {
    readonly status: number;
    readonly kind: BodyKind;
    readonly schema?: z.ZodType;
  };
  /** Lists: body is a plain array, next page in `Link: <...>; rel="next"`. */
  readonly paged?: boolean;
  /** Mutating routes are audited. */
  readonly mutates?: boolean;
}

const jobParams = z.object({ jobId: JobId });
const checkpointParams = z.object({ jobId: JobId, checkpointId: CheckpointId });
const messageParams = z.object({ jobId: JobId, messageId: MessageId });
const tokenParams = z.object({ tokenId: z.string().min(1).max(64) });
const taskManagerParams = z.object({ taskManagerId: z.string().min(1).max(64) });
const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
});

function json<S extends z.ZodType>(status: number, schema: S) {
  return { status, kind: 'json' as const, schema };
}

const J = '/api/jobmanager';

/** Every route of the server, public and internal. */
export const ROUTES = [
  {
    name: 'jobs.submit',
    method: 'post',
    path: `${J}/submit`,
    tag: 'jobs',
    role: 'operator',
    mutates: true,
    summary: 'Submit a job definition; answers 201 with its status and a Location',
    headers: idempotencyHeaders,
    body: JobDefinitionDto,
    bodyRequired: true,
    success: json(201, JobStatusDto),
  },
  {
    name: 'jobs.list',
    method: 'get',
    path: `${J}/jobs`,
    tag: 'jobs',
    role: 'viewer',
    paged: true,
    summary: 'List jobs, newest first, filtered by status and name',
    query: JobListQuery,
    success: json(200, z.array(JobOverviewDto)),
  },
  {
    name: 'jobs.get',
    method: 'get',
    path: `${J}/jobs/{jobId}`,
    tag: 'jobs',
    role: 'viewer',
    summary: 'Job detail: definition, JobGraph, status, timestamps and transitions',
    params: jobParams,
    success: json(200, JobDetailDto),
  },
  {
    name: 'jobs.status',
    method: 'get',
    path: `${J}/jobs/{jobId}/status`,
    tag: 'jobs',
    role: 'viewer',
    summary: 'Status of a job',
    params: jobParams,
    success: json(200, JobStatusDto),
  },
  {
    name: 'jobs.metrics',
    method: 'get',
    path: `${J}/jobs/{jobId}/metrics`,
    tag: 'jobs',
    role: 'viewer',
    summary: 'Records in/out, rates and backpressure per vertex and subtask',
    params: jobParams,
    success: json(200, z.array(VertexMetricsDto)),
  },
  {
    name: 'jobs.stop',
    method: 'post',
    path: `${J}/jobs/{jobId}/stop`,
    tag: 'jobs',
    role: 'operator',
    mutates: true,
    summary: 'Stop gracefully: a final checkpoint, then FINISHED',
    params: jobParams,
    body: StopRequestDto,
    success: json(202, JobStatusDto),
  },
  {
    name: 'jobs.cancel',
    method: 'post',
    path: `${J}/jobs/{jobId}/cancel`,
    tag: 'jobs',
    role: 'operator',
    mutates: true,
    summary: 'Cancel: tasks are killed, then CANCELED',
    params: jobParams,
    success: json(202, JobStatusDto),
  },
  {
    name: 'jobs.restart',
    method: 'post',
    path: `${J}/jobs/{jobId}/restart`,
    tag: 'jobs',
    role: 'operator',
    mutates: true,
    summary: 'Restart from the latest (or a given) completed checkpoint',
    params: jobParams,
    body: RestartRequestDto,
    success: json(202, JobStatusDto),
  },
  {
    name: 'jobs.scale',
    method: 'put',
    path: `${J}/jobs/{jobId}/scale`,
    tag: 'jobs',
    role: 'operator',
    mutates: true,
    summary: 'Rescale one step or all: savepoint, then redeploy at the new parallelism',
    params: jobParams,
    body: ScaleParametersDto,
    bodyRequired: true,
    success: json(202, JobStatusDto),
  },
  {
    name: 'jobs.checkpoints',
    method: 'get',
    path: `${J}/jobs/{jobId}/checkpoints`,
    tag: 'checkpoints',
    role: 'viewer',
    paged: true,
    summary: 'Checkpoints of a job, newest first',
    params: jobParams,
    query: CheckpointListQuery,
    success: json(200, z.array(CheckpointInfoDto)),
  },
  {
    name: 'jobs.triggerCheckpoint',
    method: 'post',
    path: `${J}/jobs/{jobId}/checkpoints`,
    tag: 'checkpoints',
    role: 'operator',
    mutates: true,
    summary: 'Trigger a checkpoint now',
    params: jobParams,
    success: json(202, CheckpointInfoDto),
  },
  {
    name: 'jobs.checkpoint',
    method: 'get',
    path: `${J}/jobs/{jobId}/checkpoints/{checkpointId}`,
    tag: 'checkpoints',
    role: 'viewer',
    summary: 'One checkpoint with its per-task acknowledgements',
    params: checkpointParams,
    success: json(200, CheckpointDetailDto),
  },
  {
    name: 'jobs.logs',
    method: 'get',
    path: `${J}/jobs/{jobId}/logs`,
    tag: 'jobs',
    role: 'viewer',
    paged: true,
    summary: 'Job log: transitions, failures and TaskManager lines, oldest first',
    params: jobParams,
    query: LogListQuery,
    success: json(200, z.array(LogEntryDto)),
  },
  {
    name: 'jobs.events',
    method: 'get',
    path: `${J}/jobs/{jobId}/events`,
    tag: 'jobs',
    role: 'viewer',
    summary:
      'Server-sent events of status, checkpoint and failure events (resumable with Last-Event-ID)',
    params: jobParams,
    success: { status: 200, kind: 'sse' },
  },
  {
    name: 'taskManagers.list',
    method: 'get',
    path: `${J}/taskmanagers`,
    tag: 'cluster',
    role: 'viewer',
    summary: 'TaskManagers with slots, heartbeat age and offered operators',
    success: json(200, z.array(TaskManagerInfo)),
  },
  {
    name: 'cluster.overview',
    method: 'get',
    path: `${J}/overview`,
    tag: 'cluster',
    role: 'viewer',
    summary: 'Cluster counts: TaskManagers, slots, jobs by state',
    success: json(200, ClusterOverviewDto),
  },
  {
    name: 'dlq.list',
    method: 'get',
    path: '/dlq/{jobId}/messages',
    tag: 'dlq',
    role: 'viewer',
    paged: true,
    summary: 'Dead-letter messages of a job, oldest first',
    params: jobParams,
    query: DlqListQuery,
    success: json(200, z.array(DlqMessageDto)),
  },
  {
    name: 'dlq.get',
    method: 'get',
    path: '/dlq/{jobId}/messages/{messageId}',
    tag: 'dlq',
    role: 'viewer',
    summary: 'One dead-letter message',
    params: messageParams,
    success: json(200, DlqMessageDto),
  },
  {
    name: 'dlq.update',
    method: 'put',
    path: '/dlq/{jobId}/messages/{messageId}',
    tag: 'dlq',
    role: 'operator',
    mutates: true,
    summary: 'Set the repaired payload of a message',
    params: messageParams,
    body: DlqMessageUpdateDto,
    bodyRequired: true,
    success: json(200, DlqMessageDto),
  },
  {
    name: 'dlq.delete',
    method: 'delete',
    path: '/dlq/{jobId}/messages/{messageId}',
    tag: 'dlq',
    role: 'operator',
    mutates: true,
    summary: 'Discard a message',
    params: messageParams,
    success: { status: 204, kind: 'none' },
  },
  {
    name: 'dlq.resubmit',
    method: 'post',
    path: '/dlq/{jobId}/resubmit',
    tag: 'dlq',
    role: 'operator',
    mutates: true,
    summary: 'Send pending messages (repaired payload if any) back into the step that failed them',
    params: jobParams,
    body: DlqResubmitRequestDto,
    success: json(202, DlqResubmitResultDto),
  },
  {
    name: 'tokens.create',
    method: 'post',
    path: `${J}/tokens`,
    tag: 'tokens',
    role: 'admin',
    mutates: true,
    summary: 'Create an API token; the secret is shown once',
    body: CreateTokenRequestDto,
    bodyRequired: true,
    success: json(201, CreatedTokenDto),
  },
  {
    name: 'tokens.list',
    method: 'get',
    path: `${J}/tokens`,
    tag: 'tokens',
    role: 'admin',
    summary: 'API tokens (never their secrets)',
    success: json(200, z.array(TokenDto)),
  },
  {
    name: 'tokens.delete',
    method: 'delete',
    path: `${J}/tokens/{tokenId}`,
    tag: 'tokens',
    role: 'admin',
    mutates: true,
    summary: 'Revoke a token',
    params: tokenParams,
    success: { status: 204, kind: 'none' },
  },
  {
    name: 'audit.list',
    method: 'get',
    path: `${J}/audit`,
    tag: 'tokens',
    role: 'admin',
    paged: true,
    summary: 'Audit log of mutating requests (token, role, route, job, result), newest first',
    query: AuditListQuery,
    success: json(200, z.array(AuditEntryDto)),
  },
  {
    name: 'system.health',
    method: 'get',
    path: '/healthz',
    tag: 'system',
    role: 'public',
    summary: 'Liveness',
    success: json(200, z.object({ status: z.literal('ok') })),
  },
  {
    name: 'system.ready',
    method: 'get',
    path: '/readyz',
    tag: 'system',
    role: 'public',
    summary: 'Readiness: the database answers',
    success: json(200, z.object({ status: z.literal('ready'), taskManagers: z.number().int() })),
  },
  {
    name: 'system.metrics',
    method: 'get',
    path: '/metrics',
    tag: 'system',
    role: 'viewer',
    summary: 'Prometheus metrics',
    success: { status: 200, kind: 'text' },
  },
  {
    name: 'internal.register',
    method: 'post',
    path: '/internal/v1/register',
    tag: 'internal',
    role: 'taskmanager',
    summary: 'A TaskManager registers its slots and operators',
    body: RegisterRequest,
    bodyRequired: true,
    success: json(200, RegisterResponse),
  },
  {
    name: 'internal.heartbeat',
    method: 'post',
    path: '/internal/v1/heartbeat',
    tag: 'internal',
    role: 'taskmanager',
    summary: 'Reports (task states, metrics, acks, logs, DLQ records); answers pending commands',
    body: HeartbeatRequest,
    bodyRequired: true,
    success: json(200, HeartbeatResponse),
  },
  {
    name: 'internal.poll',
    method: 'get',
    path: '/internal/v1/taskmanagers/{taskManagerId}/commands',
    tag: 'internal',
    role: 'taskmanager',
    summary: 'Long-poll for commands',
    params: taskManagerParams,
    query: PollQuery,
    success: json(200, HeartbeatResponse),
  },
  {
    name: 'internal.snapshot',
    method: 'get',
    path: '/internal/v1/jobs/{jobId}/checkpoints/{checkpointId}',
    tag: 'internal',
    role: 'taskmanager',
    summary: 'The stored snapshot of a completed checkpoint',
    params: checkpointParams,
    success: json(200, SnapshotResponse),
  },
] as const satisfies readonly RouteDef[];

export type RouteName = (typeof ROUTES)[number]['name'];

/** Looks a route up by name. */
export function route<N extends RouteName>(name: N): Extract<(typeof ROUTES)[number], { name: N }> {
  const found = ROUTES.find((r) => r.name === name);
  if (!found) throw new Error(`unknown route ${name}`);
  return found as Extract<(typeof ROUTES)[number], { name: N }>;
}

/** Fills `{param}` placeholders of a route path (values are URI-encoded). */
export function buildPath(
  path: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key}`);
    return encodeURIComponent(String(value));
  });
}
