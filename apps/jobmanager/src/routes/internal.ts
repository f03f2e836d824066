/**
 * @module
 * The TaskManager protocol under /internal/v1: register, heartbeat,
 * long-poll for commands and snapshot download.
 */

import { json } from '../http/reply';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

type InternalHandlers = Pick<
  RouteHandlers,
  'internal.register' | 'internal.heartbeat' | 'internal.poll' | 'internal.snapshot'
>;

/** Handlers of the internal protocol routes. */
export function internalRoutes({ controller, actions }: RouteDeps): InternalHandlers {
  return {
    'internal.register': (c, { body }) => json(c, controller.register(body), 200),
    'internal.heartbeat': (c, { body }) => json(c, controller.heartbeat(body), 200),
    'internal.poll': async (c, { params, query }) =>
      json(c, await controller.poll(params.taskManagerId, query.waitMs, c.req.raw.signal), 200),
    'internal.snapshot': (c, { params }) =>
      json(c, actions.snapshot(params.jobId, params.checkpointId), 200),
  };
}
