/**
 * @module
 * Starts a real, listening JobManager in this process: opens the store in
 * the data dir, composes the app and serves it. The local cluster launcher,
 * `main.ts` and other packages' tests use it.
 */

import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openStore } from '@flinknet/store';
import pino, { type Logger } from 'pino';
import { type CreateAppOptions, createApp, type JobManagerApp } from './app';
import { type AdminBootstrap, ensureAdminToken } from './auth/bootstrapAdmin';
import { isLoopbackHost } from './auth/loopback';
import { createHttpServer } from './http/httpServer';

/** How long shutdown waits for requests in flight before it drops their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartJobManagerOptions extends Omit<CreateAppOptions, 'store' | 'logger'> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8081; 0 picks a free port. */
  port?: number;
  /** pino level; default `info`. Ignored when `logger` is given. */
  logLevel?: string;
  logger?: Logger;
}

/** A running JobManager. `close()` drains in-flight requests, then closes the database. */
export interface RunningJobManager {
  url: string;
  port: number;
  jobManager: JobManagerApp;
  /** The admin token file, with the secret when this start created it (first start on an empty store); undefined with auth off. */
  adminToken: AdminBootstrap | undefined;
  close(): Promise<void>;
}

/**
 * Opens `<dataDir>/flinknet.db`, serves the JobManager and resolves once it
 * listens. With auth on (the default) a first start on an empty store writes
 * the admin token to `<dataDir>/admin.token` before listening; auth off is
 * refused unless `host` is loopback.
 *
 * @example
 * ```ts
 * const jm = await startJobManager({ port: 0, dataDir: '/tmp/flinknet' });
 * console.log(jm.url);
 * await jm.close();
 * ```
 */
export async function startJobManager(options: StartJobManagerOptions): Promise<RunningJobManager> {
  const host = options.host ?? '127.0.0.1';
  const authEnabled = options.auth?.enabled ?? true;
  if (!authEnabled && !isLoopbackHost(host))
    throw new Error(
      `refusing to start without authentication on ${host}: auth can only be turned off on a loopback host (127.0.0.1, ::1)`,
    );
  const logger = options.logger ?? pino({ name: 'jobmanager', level: options.logLevel ?? 'info' });
  const store = openStore({ file: join(options.dataDir, 'flinknet.db') });
  let jobManager: JobManagerApp;
  let adminToken: AdminBootstrap | undefined;
  try {
    adminToken = authEnabled ? ensureAdminToken(store, options.dataDir) : undefined;
    if (adminToken?.created) logger.info({ file: adminToken.file }, 'created the admin token');
    jobManager = createApp({ ...options, store, logger });
  } catch (error) {
    store.close();
    throw error;
  }
  const server = createHttpServer(jobManager.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      jobManager.close();
      store.close();
      reject(error);
    });
    server.listen(options.port ?? 8081, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    jobManager,
    adminToken,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Long-polls and event streams end first so that close() only waits for real requests.
        jobManager.close();
        // Keep-alive connections would hold close() for their idle timeout: drop them once no
        // request is in flight, or once requests had SHUTDOWN_GRACE_MS to finish.
        const deadline = Date.now() + SHUTDOWN_GRACE_MS;
        const sweep = setInterval(() => {
          if (jobManager.inFlight() === 0 || Date.now() >= deadline) server.closeAllConnections();
        }, 20);
        server.close(() => {
          clearInterval(sweep);
          store.close();
          resolve();
        });
      });
      return closing;
    },
  };
}
