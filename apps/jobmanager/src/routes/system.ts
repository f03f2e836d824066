/**
 * @module
 * Liveness, readiness and Prometheus metrics.
 */
import { UnavailableError } from '../http/errors';
import { json, reply } from '../http/reply';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

type SystemHandlers = Pick<RouteHandlers, 'system.health' | 'system.ready' | 'system.metrics'>;

/** Handlers of the system routes. */
export function systemRoutes({ store, controller, metrics }: RouteDeps): SystemHandlers {
  return {
    'system.health': () => json({ status: 'ok' as const }, 200),
    'system.ready': () => {
      let ok = false;
      try {
        ok = store.ping();
      } catch {
        ok = false;
      }
      if (!ok) throw new UnavailableError('the database does not answer');
      return json(
        { status: 'ready' as const, taskManagers: controller.registry.list().length },
        200,
      );
    },
    'system.metrics': async () => {
      const text = await metrics.registry.metrics();
      return reply(text, 200, { 'content-type': metrics.registry.contentType });
    },
  };
}
