/**
 * @module
 * Prometheus metrics of one JobManager, in a registry of its own so several
 * apps in one process (tests) do not collide.
 */
import { JOB_STATES, type JobState } from '@flinknet/contracts';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Sources the gauges read at scrape time. */
export interface MetricsSources {
  jobsByState(): Record<JobState, number>;
  taskManagers(): { live: number; slotsTotal: number; slotsFree: number };
}

/** Creates the registry and the instruments the app updates. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  const httpRequests = new Counter({
    name: 'flinknet_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'flinknet_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
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
  return { registry, httpRequests, httpDuration, checkpoints };
}

export type AppMetrics = ReturnType<typeof createMetrics>;
