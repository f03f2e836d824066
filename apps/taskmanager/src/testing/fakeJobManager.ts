/**
 * @module
 * A small JobManager stand-in for the TaskManager's process-level tests: a
 * real HTTP server on 127.0.0.1 speaking the `/internal/v1/` protocol, which
 * records what it receives and can forget TaskManagers or go away.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HeartbeatRequest,
  RegisterRequest,
  type SnapshotResponse,
  type TaskManagerCommand,
} from '@flinknet/contracts';

interface Waiter {
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export class FakeJobManager {
  readonly registrations: RegisterRequest[] = [];
  readonly heartbeats: ReturnType<typeof HeartbeatRequest.parse>[] = [];
  readonly authorizations: (string | undefined)[] = [];
  readonly snapshots = new Map<string, SnapshotResponse>();
  heartbeatIntervalMs = 60_000;
  private known = new Set<string>();
  private queue: TaskManagerCommand[] = [];
  private waiters: Waiter[] = [];
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again) on the same port as before, or a free one the first time. */
  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Goes away: open long-polls are dropped, as when the process dies. */
  async close(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.res.destroy();
    }
    this.server?.closeAllConnections();
    this.server?.close();
    if (this.server) await once(this.server, 'close');
    this.server = undefined;
  }

  /** Forgets every TaskManager, as a restarted JobManager would. */
  forget(): void {
    this.known.clear();
  }

  /** Queues a command; an open long-poll gets it at once. */
  send(command: TaskManagerCommand): void {
    this.queue.push(command);
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.answer(waiter.res, 200, { commands: this.queue.splice(0), registered: true });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.authorizations.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', 'http://x');
    const body = req.method === 'POST' ? JSON.parse(await text(req)) : undefined;
    if (req.method === 'POST' && url.pathname === '/internal/v1/register') {
      const request = RegisterRequest.parse(body);
      this.registrations.push(request);
      this.known.add(request.taskManagerId);
      return this.answer(res, 200, {
        taskManagerId: request.taskManagerId,
        heartbeatIntervalMs: this.heartbeatIntervalMs,
        heartbeatTimeoutMs: this.heartbeatIntervalMs * 5,
        protocolVersion: 1,
      });
    }
    if (req.method === 'POST' && url.pathname === '/internal/v1/heartbeat') {
      const request = HeartbeatRequest.parse(body);
      if (!this.known.has(request.taskManagerId))
        return this.answer(res, 200, { commands: [], registered: false });
      this.heartbeats.push(request);
      return this.answer(res, 200, { commands: [], registered: true });
    }
    const poll = /^\/internal\/v1\/taskmanagers\/([^/]+)\/commands$/.exec(url.pathname);
    if (req.method === 'GET' && poll) {
      if (!this.known.has(decodeURIComponent(poll[1]!)))
        return this.answer(res, 200, { commands: [], registered: false });
      if (this.queue.length > 0)
        return this.answer(res, 200, { commands: this.queue.splice(0), registered: true });
      const waitMs = Number(url.searchParams.get('waitMs') ?? 25_000);
      const waiter: Waiter = {
        res,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          this.answer(res, 200, { commands: [], registered: true });
        }, waitMs),
      };
      this.waiters.push(waiter);
      return;
    }
    const snapshot = /^\/internal\/v1\/jobs\/([^/]+)\/checkpoints\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && snapshot) {
      const found = this.snapshots.get(`${snapshot[1]}/${snapshot[2]}`);
      return found
        ? this.answer(res, 200, found)
        : this.answer(res, 404, { title: 'Not Found', detail: 'no such checkpoint' });
    }
    this.answer(res, 404, { title: 'Not Found' });
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Polls `condition` every 20 ms until it is truthy or `timeoutMs` passed. */
export async function waitFor<T>(
  condition: () => T | undefined | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
