/**
 * @module
 * What route modules are built from.
 */
import type { JobRepository } from '@flinknet/store';
import type { AuditTrail } from '../auth/audit';
import type { JobActions } from '../cluster/jobActions';
import type { JobController } from '../cluster/jobController';
import type { ClusterSettings } from '../config';
import type { EventBus } from '../events/eventBus';
import type { AppMetrics } from '../metrics';

export interface RouteDeps {
  store: JobRepository;
  controller: JobController;
  actions: JobActions;
  bus: EventBus;
  metrics: AppMetrics;
  settings: ClusterSettings;
  now: () => number;
  version: string;
  /** Streams register here so shutdown can end them. */
  streams: Set<() => void>;
  /** The audit log; undefined when auditing is off. */
  audit: AuditTrail | undefined;
  /** Called when a token is deleted, so auth stops trusting it at once. */
  forgetToken(tokenId: string): void;
}
