/**
 * @module
 * Composition of the JobManager: the Hono app with every route of the table,
 * the cluster side (registry, scheduler, checkpoint coordinator) and the
 * event bus, over a store the caller opened. No socket here: tests call
 * `app.request()`, `main.ts` serves it.
 */
import { join } from 'node:path';
import { ROUTES } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import pino, { type Logger } from 'pino';
import { AuditTrail } from './auth/audit';
import { Authenticator } from './auth/authenticate';
import { FailureThrottle, type FailureThrottleOptions } from './auth/failureThrottle';
import { JobActions } from './cluster/jobActions';
import { JobController } from './cluster/jobController';
import { type ClusterSettings, DEFAULT_SETTINGS } from './config';
import { EventBus } from './events/eventBus';
import { corsAllowList } from './hardening/httpHardening';
import { docsPage } from './http/docsPage';
import { envelope } from './http/envelope';
import { MethodNotAllowedError, NotFoundError } from './http/errors';
import { problemResponse, toHttpError } from './http/problem';
import { registerRoutes } from './http/registerRoutes';
import type { AppEnv, RouteHandlers } from './http/types';
import { createMetrics } from './metrics';
import { auditRoutes } from './routes/audit';
import { checkpointRoutes } from './routes/checkpoints';
import { clusterRoutes } from './routes/cluster';
import type { RouteDeps } from './routes/deps';
import { dlqRoutes } from './routes/dlq';
import { eventRoutes } from './routes/events';
import { internalRoutes } from './routes/internal';
import { jobRoutes } from './routes/jobs';
import { logRoutes } from './routes/logs';
import { systemRoutes } from './routes/system';
import { tokenRoutes } from './routes/tokens';

export const JOBMANAGER_VERSION = '0.1.0';
export const OPENAPI_PATH = '/api/jobmanager/openapi.json';
export const DOCS_PATH = '/api/jobmanager/docs';

export interface CreateAppOptions extends Partial<ClusterSettings> {
  /** The repository; the caller opened it and closes it. */
  store: JobRepository;
  /** Checkpoint snapshots go to `<dataDir>/checkpoints`. */
  dataDir: string;
  /** Clock in epoch ms (heartbeat ages, timeouts). Default `Date.now`. */
  now?: () => number;
  /** Request and cluster log; default pino at `info`. */
  logger?: Logger;
  /** Extra middleware run on every table route once `c.get('route')` (with its `role`) is set, after auth. */
  routeMiddleware?: readonly MiddlewareHandler<AppEnv>[];
  /** Bearer-token auth; on unless `enabled: false` (only for loopback servers and tests not about auth). */
  auth?: AuthSettings;
  /** Origins allowed by CORS; default none (no CORS headers). */
  corsOrigins?: readonly string[];
}

/** How requests are authenticated. */
export interface AuthSettings {
  /** Default true. Off, every route answers without a token (and a warning is logged). */
  enabled?: boolean;
  /** Slowing down of repeated failures per address. */
  throttle?: FailureThrottleOptions;
}

/** A composed JobManager. `close()` stops its timers and streams (not the store). */
export interface JobManagerApp {
  app: OpenAPIHono<AppEnv>;
  controller: JobController;
  actions: JobActions;
  bus: EventBus;
  settings: ClusterSettings;
  close(): void;
}

/**
 * Builds the JobManager over `store`: registers every route of the contracts'
 * table, recovers the jobs that were active before a restart, and starts the
 * scheduler and heartbeat timers.
 *
 * @example
 * ```ts
 * const jm = createApp({ store: openStore({ file: ':memory:' }), dataDir: '/tmp/jm' });
 * const res = await jm.app.request('/healthz');
 * jm.close();
 * ```
 */
export function createApp(options: CreateAppOptions): JobManagerApp {
  const { store, dataDir } = options;
  const settings: ClusterSettings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof ClusterSettings>) {
    const value = options[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0)
        throw new Error(`createApp: ${key} must be a non-negative number, got ${value}`);
      settings[key] = value;
    }
  }
  const now = options.now ?? Date.now;
  const logger = options.logger ?? pino({ name: 'jobmanager' });
  const bus = new EventBus(1000, now);
  let controller: JobController | undefined;
  const metrics = createMetrics({
    jobsByState: () => store.countJobsByState(),
    taskManagers: () => controller?.capacity() ?? { live: 0, slotsTotal: 0, slotsFree: 0 },
  });
  controller = new JobController({
    store,
    bus,
    metrics,
    logger,
    settings,
    checkpointsDir: join(dataDir, 'checkpoints'),
    now,
  });
  const streams = new Set<() => void>();
  const actions = new JobActions(controller);
  const authEnabled = options.auth?.enabled ?? true;
  if (!authEnabled)
    logger.warn(
      'AUTHENTICATION IS OFF: every route answers without a token. Never expose this server beyond loopback.',
    );
  const authenticator = authEnabled
    ? new Authenticator({
        store,
        now,
        throttle: new FailureThrottle({ now, ...options.auth?.throttle }),
      })
    : undefined;
  const deps: RouteDeps = {
    store,
    controller,
    actions,
    bus,
    metrics,
    settings,
    now,
    version: JOBMANAGER_VERSION,
    streams,
    forgetToken: (tokenId) => authenticator?.forget(tokenId),
  };

  const app = new OpenAPIHono<AppEnv>();
  app.use(envelope({ metrics, logger, docsPath: DOCS_PATH }));
  const corsMiddleware = corsAllowList(options.corsOrigins ?? []);
  if (corsMiddleware) app.use(corsMiddleware);

  const handlers: RouteHandlers = {
    ...jobRoutes(deps),
    ...checkpointRoutes(deps),
    ...logRoutes(deps),
    ...eventRoutes(deps),
    ...clusterRoutes(deps),
    ...dlqRoutes(deps),
    ...tokenRoutes(deps),
    ...auditRoutes(deps),
    ...systemRoutes(deps),
    ...internalRoutes(deps),
  };
  registerRoutes(app, handlers, {
    ...settings,
    authenticator,
    audit: new AuditTrail({ store, logger }),
    routeMiddleware: options.routeMiddleware ?? [],
  });

  const openApiConfig = {
    openapi: '3.1.0',
    info: { title: 'FlinkNet JobManager', version: JOBMANAGER_VERSION },
  };
  app.get(OPENAPI_PATH, (c) => c.json(app.getOpenAPI31Document(openApiConfig)));
  app.get(DOCS_PATH, (c) => c.html(docsPage(OPENAPI_PATH)));

  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length > 0) return problemResponse(c, new MethodNotAllowedError(c.req.method, allow));
    return problemResponse(c, new NotFoundError(`no route ${c.req.method} ${c.req.path}`));
  });
  app.onError((error, c) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500)
      logger.error({ err: error, reqId: c.get('requestId') }, 'request failed');
    return problemResponse(c, httpError);
  });

  controller.start();
  return {
    app,
    controller,
    actions,
    bus,
    settings,
    close() {
      controller.close();
      for (const end of [...streams]) end();
    },
  };
}

const PATH_PATTERNS = [
  ...ROUTES.map((r) => ({ method: r.method.toUpperCase(), path: r.path })),
  { method: 'GET', path: OPENAPI_PATH },
  { method: 'GET', path: DOCS_PATH },
].map(({ method, path }) => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
}));

/** Methods some route offers at `path` (empty when the path is unknown). */
function allowedMethods(path: string): string[] {
  const methods = PATH_PATTERNS.filter((p) => p.pattern.test(path)).map((p) => p.method);
  if (methods.includes('GET')) methods.push('HEAD');
  return [...new Set(methods)];
}
