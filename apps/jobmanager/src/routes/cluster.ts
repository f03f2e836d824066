/**
 * @module
 * Cluster routes: TaskManagers and the overview counts.
 */
import type { TaskManagerInfo } from '@flinknet/contracts';
import { json } from '../http/reply';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

type ClusterHandlers = Pick<RouteHandlers, 'taskManagers.list' | 'cluster.overview'>;

/** Handlers of the cluster routes. */
export function clusterRoutes({ store, controller, now, version }: RouteDeps): ClusterHandlers {
  return {
    'taskManagers.list': () => {
      const nowMs = now();
      const body = store.listTaskManagers().map((tm): TaskManagerInfo => {
        const live = controller.registry.get(tm.taskManagerId);
        const lastHeartbeatMs = live?.lastHeartbeatMs ?? Date.parse(tm.lastHeartbeat);
        return {
          taskManagerId: tm.taskManagerId,
          address: tm.address,
          version: tm.version,
          // Only TaskManagers that registered with this JobManager process are live.
          state: live ? 'ACTIVE' : tm.state === 'ACTIVE' ? 'LOST' : tm.state,
          slotsTotal: tm.slots,
          slotsFree: live ? controller.slotsFree(tm.taskManagerId) : 0,
          operators: tm.operators,
          registeredAt: tm.registeredAt,
          lastHeartbeat: new Date(lastHeartbeatMs).toISOString(),
          heartbeatAgeMs: Math.max(0, nowMs - lastHeartbeatMs),
        };
      });
      return json(body, 200);
    },
    'cluster.overview': () => {
      const capacity = controller.capacity();
      const jobsByState = store.countJobsByState();
      return json(
        {
          taskManagers: capacity.live,
          slotsTotal: capacity.slotsTotal,
          slotsAvailable: capacity.slotsFree,
          jobsRunning: jobsByState.RUNNING ?? 0,
          jobsFinished: jobsByState.FINISHED ?? 0,
          jobsCanceled: jobsByState.CANCELED ?? 0,
          jobsFailed: jobsByState.FAILED ?? 0,
          jobsByState,
          version,
        },
        200,
      );
    },
  };
}
