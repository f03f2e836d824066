/**
 * @module
 * Prometheus metrics of one JobManager, in a registry of its own so several
 * apps in one process (tests) do not collide.
 */
import { JOB_STATES, type JobState } from '@flinknet/contracts';
import { Counter, Gauge, type Metric, Registry } from 'prom-client';

/** Sources the gauges read at scrape time. */
export interface MetricsSources {
  jobsByState(): Record<JobState, number>;
  taskManagers(): { live: number; slotsTotal: number; slotsFree: number };
}

/** Creates the registry and the instruments the app updates. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  const http = new HttpRequestTally();
  new Counter({
    name: 'flinknet_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const series of http.series())
        for (const [status, count] of series.byStatus)
          this.inc({ method: series.method, route: series.route, status: String(status) }, count);
    },
  });
  registry.registerMetric(http.durationMetric('flinknet_http_request_duration_seconds'));
  const checkpoints = new Counter({
    name: 'flinknet_checkpoints_total',
    help: 'Checkpoints that ended, by status',
    labelNames: ['status'],
    registers: [registry],
  });
  new Gauge({
    name: 'flinknet_jobs',
    help: 'Jobs by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = sources.jobsByState();
      for (const state of JOB_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: 'flinknet_taskmanagers',
    help: 'Registered, live TaskManagers',
    registers: [registry],
    collect() {
      this.set(sources.taskManagers().live);
    },
  });
  new Gauge({
    name: 'flinknet_slots',
    help: 'Task slots of live TaskManagers, total and free',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const tms = sources.taskManagers();
      this.set({ kind: 'total' }, tms.slotsTotal);
      this.set({ kind: 'free' }, tms.slotsFree);
    },
  });
  return { registry, http, checkpoints };
}

export type AppMetrics = ReturnType<typeof createMetrics>;

/** Upper bounds (seconds) of the request duration buckets. */
const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30] as const;

interface Series {
  method: string;
  route: string;
  byStatus: Map<number, number>;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * HTTP requests by method, route and status, and their durations, counted
 * in plain numbers and read by Prometheus at scrape time. prom-client's
 * labelled `inc`/`observe` hash their label objects on every call, which
 * showed as a few per cent of a status request.
 */
export class HttpRequestTally {
  /** Route -> method -> series. */
  readonly #series = new Map<string, Map<string, Series>>();

  /** Counts one answered request. */
  record(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.#series.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.#series.set(route, byMethod);
    }
    let series = byMethod.get(method);
    if (series === undefined) {
      series = {
        method,
        route,
        byStatus: new Map(),
        buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, series);
    }
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket++;
    series.buckets[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  *series(): Iterable<Series> {
    for (const byMethod of this.#series.values()) yield* byMethod.values();
  }

  /** The duration histogram as a prom-client metric (what a Histogram's `get()` returns). */
  durationMetric(name: string): Metric {
    const help = 'HTTP request duration by method and route';
    const values = () =>
      [...this.series()].flatMap(({ method, route, buckets, sum, count }) => {
        let cumulative = 0;
        const perBucket = buckets.map((n, i) => {
          cumulative += n;
          return {
            labels: { le: DURATION_BUCKETS[i] ?? '+Inf', method, route },
            value: cumulative,
            metricName: `${name}_bucket`,
          };
        });
        return [
          ...perBucket,
          { labels: { method, route }, value: sum, metricName: `${name}_sum` },
          { labels: { method, route }, value: count, metricName: `${name}_count` },
        ];
      });
    const metric = {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({ name, help, type: 'histogram', aggregator: 'sum', values: values() }),
      reset: () => this.#series.clear(),
    };
    return metric as unknown as Metric;
  }
}
