/**
 * @module
 * `createClient`: the SDK of the FlinkNet JobManager. Its methods are built
 * from the contracts' route table, one per public route and named after it
 * (`jobs.submit` -> `client.jobs.submit`), plus an `iterate...` method per
 * paged list, `jobs.events` over server-sent events and `jobs.waitForStatus`.
 */
import {
  type JobEventDto,
  type JobState,
  type JobStatusDto,
  ROUTES,
  type RouteDef,
} from '@flinknet/contracts';
import { type EventsOptions, streamJobEvents } from './events';
import { callRoute, iterateRoute, parseArgs } from './internals/callRoute';
import { createTransport } from './internals/transport';
import type { CallOptions, ClientOptions } from './types/options';
import type {
  GroupName,
  PublicRouteName,
  RouteArgs,
  RouteGroup,
  RouteNamed,
  RouteResult,
} from './types/routes';
import { type WaitForStatusOptions, waitForStatus } from './waitForStatus';

/** The jobs group: route methods plus events and waitForStatus. */
export type JobsApi = Omit<RouteGroup<'jobs'>, 'events'> & {
  /** The job's events (SSE), reconnecting with Last-Event-ID; ends after a terminal status by default. */
  events(jobId: string, options?: EventsOptions): AsyncGenerator<JobEventDto, void, undefined>;
  /** Polls until the job is in one of `states`; see {@link WaitForStatusOptions}. */
  waitForStatus(
    jobId: string,
    states: JobState | readonly JobState[],
    options?: WaitForStatusOptions,
  ): Promise<JobStatusDto>;
};

export type FlinkNetClient = { [G in Exclude<GroupName, 'jobs'>]: RouteGroup<G> } & {
  jobs: JobsApi;
  /** Calls any public route by name, with the same arguments as its method. */
  request<N extends PublicRouteName>(
    name: N,
    ...args: RouteArgs<RouteNamed<N>>
  ): Promise<RouteResult<RouteNamed<N>>>;
};

type AnyMethod = (...args: unknown[]) => unknown;

function iteratorName(method: string): string {
  return method === 'list'
    ? 'iterate'
    : `iterate${method.charAt(0).toUpperCase()}${method.slice(1)}`;
}

/**
 * Creates a client of one JobManager.
 *
 * @param options.baseUrl - where the JobManager listens
 * @param options.token - API token (default none)
 * @param options.timeoutMs - deadline per call, retries included (default 30000)
 * @param options.retry - retries of safe calls (default 2)
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8081', token: process.env.FLINKNET_TOKEN });
 * const job = await client.jobs.submit(definition);
 * await client.jobs.waitForStatus(job.jobId, 'RUNNING');
 * for await (const overview of client.jobs.iterate({ status: 'RUNNING' })) console.log(overview.jobName);
 * ```
 */
export function createClient(options: ClientOptions): FlinkNetClient {
  const transport = createTransport(options);
  const groups: Record<string, Record<string, AnyMethod>> = {};
  const byName = new Map<string, RouteDef>();
  for (const def of ROUTES as readonly RouteDef[]) {
    if (def.tag === 'internal') continue;
    byName.set(def.name, def);
    const [group = '', method = ''] = def.name.split('.');
    const methods = groups[group] ?? {};
    groups[group] = methods;
    methods[method] = async (...args) => callRoute(transport, def, parseArgs(def, args));
    if (def.paged) methods[iteratorName(method)] = (...args) => iterateRoute(transport, def, args);
  }
  const jobs = groups.jobs ?? {};
  const status = jobs.status as (jobId: string, options: CallOptions) => Promise<JobStatusDto>;
  jobs.events = (jobId, eventOptions) =>
    streamJobEvents(transport, jobId as string, eventOptions as EventsOptions);
  jobs.waitForStatus = (jobId, states, waitOptions) =>
    waitForStatus(
      status,
      jobId as string,
      states as JobState[],
      waitOptions as WaitForStatusOptions,
    );
  const request = async (name: string, ...args: unknown[]) => {
    const def = byName.get(name);
    if (!def) throw new TypeError(`request: unknown route ${JSON.stringify(name)}`);
    return callRoute(transport, def, parseArgs(def, args));
  };
  return { ...groups, request } as unknown as FlinkNetClient;
}
