/**
 * @module
 * The TaskManager protocol under /internal/v1: register, heartbeat,
 * long-poll for commands and snapshot download.
 */
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

type InternalHandlers = Pick<
  RouteHandlers,
  'internal.register' | 'internal.heartbeat' | 'internal.poll' | 'internal.snapshot'
>;

/** Handlers of the internal protocol routes. */
export function internalRoutes({ controller, actions }: RouteDeps): InternalHandlers {
  return {
    'internal.register': (c, { body }) => c.json(controller.register(body), 200),
    'internal.heartbeat': (c, { body }) => c.json(controller.heartbeat(body), 200),
    'internal.poll': async (c, { params, query }) =>
      c.json(await controller.poll(params.taskManagerId, query.waitMs, c.req.raw.signal), 200),
    'internal.snapshot': (c, { params }) =>
      c.json(actions.snapshot(params.jobId, params.checkpointId), 200),
  };
}
