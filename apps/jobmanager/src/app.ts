/**
 * @module
 * Composition of the JobManager: the request listener serving every route
 * of the table, the cluster side (registry, scheduler, checkpoint
 * coordinator) and the event bus, over a store the caller opened. No socket
 * here: `startJobManager` serves the listener.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ROUTES, type RouteDef } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import pino, { type Logger } from 'pino';
import { AuditTrail } from './auth/audit';
import { Authenticator } from './auth/authenticate';
import { FailureThrottle, type FailureThrottleOptions } from './auth/failureThrottle';
import { JobActions } from './cluster/jobActions';
import { JobController } from './cluster/jobController';
import { type ClusterSettings, DEFAULT_SETTINGS } from './config';
import { EventBus } from './events/eventBus';
import { corsAllowList, DOCUMENT_HEADERS } from './hardening/httpHardening';
import { docsPage } from './http/docsPage';
import { openApiDocument } from './http/openApi';
import { type RouteHook, routePipeline } from './http/pipeline';
import { reply } from './http/reply';
import { createRequestListener, type RouteEntry } from './http/requestListener';
import { RouteTree } from './http/router';
import type { RouteHandlers } from './http/types';
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
  /** Extra steps of every table route, run once `x.route` is set and auth passed, before the body is read. */
  routeHooks?: readonly RouteHook[];
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
  /** The node:http request listener serving every route. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests not yet answered. */
  inFlight(): number;
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
 * createServer(jm.listener).listen(8081, '127.0.0.1');
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
  const audit = new AuditTrail({ store, logger });
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
    audit,
    forgetToken: (tokenId) => authenticator?.forget(tokenId),
  };

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
  const routes = routeTree(handlers, {
    ...settings,
    authenticator,
    audit,
    routeHooks: options.routeHooks,
  });
  const { listener, inFlight } = createRequestListener({
    routes,
    metrics,
    logger,
    cors: corsAllowList(options.corsOrigins ?? []),
  });

  controller.start();
  return {
    listener,
    inFlight,
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

/** Every route of the table through its pipeline, plus the OpenAPI document and the docs page. */
function routeTree(
  handlers: Partial<RouteHandlers>,
  options: Parameters<typeof routePipeline>[2],
): RouteTree<RouteEntry> {
  const missing = ROUTES.filter((r) => typeof handlers[r.name] !== 'function').map((r) => r.name);
  if (missing.length > 0) throw new Error(`routes without a handler: ${missing.join(', ')}`);
  const tree = new RouteTree<RouteEntry>();
  for (const def of ROUTES as readonly RouteDef[]) {
    const handler = handlers[def.name as keyof RouteHandlers] as Parameters<
      typeof routePipeline
    >[1];
    tree.add(def.method, def.path, {
      def,
      path: def.path,
      run: routePipeline(def, handler, options),
    });
  }
  let document: string | undefined;
  tree.add('GET', OPENAPI_PATH, {
    def: undefined,
    path: OPENAPI_PATH,
    run: () => {
      document ??= JSON.stringify(
        openApiDocument({ title: 'FlinkNet JobManager', version: JOBMANAGER_VERSION }),
      );
      return reply(document, 200, { 'content-type': 'application/json' });
    },
  });
  const page = docsPage(OPENAPI_PATH);
  tree.add('GET', DOCS_PATH, {
    def: undefined,
    path: DOCS_PATH,
    run: () =>
      reply(page, 200, { 'content-type': 'text/html; charset=UTF-8', ...DOCUMENT_HEADERS }),
  });
  return tree;
}
