/**
 * @module
 * The TaskManager's side of the `/internal/v1/` protocol: one typed method per
 * route, every answer validated with the contracts' schemas.
 */
import {
  buildPath,
  type HeartbeatRequest,
  HeartbeatResponse,
  type RegisterRequest,
  RegisterResponse,
  route,
  SnapshotResponse,
} from '@flinknet/contracts';
import { JobManagerUnreachableError, ProtocolError } from './errors';

export interface ProtocolClientOptions {
  /** Base URL of the JobManager, e.g. `http://127.0.0.1:8081`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string | undefined;
  /** Timeout of register, heartbeat and snapshot calls; default 10 s. */
  timeoutMs?: number;
}

export interface ProtocolClient {
  register(request: RegisterRequest): Promise<RegisterResponse>;
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
  /** Long-polls for commands; resolves as soon as one is queued or after `waitMs`. */
  poll(taskManagerId: string, waitMs: number, signal?: AbortSignal): Promise<HeartbeatResponse>;
  snapshot(jobId: string, checkpointId: number): Promise<SnapshotResponse>;
}

interface Schema<T> {
  safeParse(data: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
      };
}

/** Creates the protocol client for one JobManager. */
export function createProtocolClient(options: ProtocolClientOptions): ProtocolClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: Schema<T>,
    init: { body?: unknown; timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<T> {
    const url = baseUrl + path;
    const timeout = AbortSignal.timeout(init.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers:
          init.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal,
      });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new JobManagerUnreachableError(url, error);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if (!response.ok)
        throw new ProtocolError(`${method} ${path} answered ${response.status}`, response.status);
      throw new ProtocolError(
        `${method} ${path} answered a body that is not JSON: ${(error as Error).message}`,
        0,
      );
    }
    if (!response.ok) {
      const detail =
        typeof body === 'object' && body !== null
          ? (body as { detail?: unknown; title?: unknown })
          : {};
      const reason = detail.detail ?? detail.title ?? '';
      throw new ProtocolError(
        `${method} ${path} answered ${response.status}${reason ? `: ${String(reason)}` : ''}`,
        response.status,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      throw new ProtocolError(
        `${method} ${path} answered a body that breaks the contract: ${issues}`,
        0,
      );
    }
    return parsed.data;
  }

  return {
    register: (request) =>
      call('POST', route('internal.register').path, RegisterResponse, { body: request, timeoutMs }),
    heartbeat: (request) =>
      call('POST', route('internal.heartbeat').path, HeartbeatResponse, {
        body: request,
        timeoutMs,
      }),
    poll: (taskManagerId, waitMs, signal) =>
      call(
        'GET',
        `${buildPath(route('internal.poll').path, { taskManagerId })}?waitMs=${waitMs}`,
        HeartbeatResponse,
        { timeoutMs: waitMs + timeoutMs, signal },
      ),
    snapshot: (jobId, checkpointId) =>
      call(
        'GET',
        buildPath(route('internal.snapshot').path, { jobId, checkpointId }),
        SnapshotResponse,
        {
          timeoutMs: Math.max(timeoutMs, 30_000),
        },
      ),
  };
}
