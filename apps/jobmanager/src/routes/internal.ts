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
    'internal.register': (_, { body }) => json(controller.register(body), 200),
    'internal.heartbeat': (_, { body }) => json(controller.heartbeat(body), 200),
    'internal.poll': async (x, { params, query }) =>
      json(await controller.poll(params.taskManagerId, query.waitMs, x.signal), 200),
    'internal.snapshot': (_, { params }) =>
      json(actions.snapshot(params.jobId, params.checkpointId), 200),
  };
}
