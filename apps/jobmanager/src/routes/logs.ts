import { nextLink } from '../http/pagination';
import { json } from '../http/reply';
import { requireJob } from '../http/requireJob';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';
import { toLogEntry } from './dto';

/** Handler of the job log route. */
export function logRoutes({ store }: RouteDeps): Pick<RouteHandlers, 'jobs.logs'> {
  return {
    'jobs.logs': (x, { params, query }) => {
      requireJob(store, params.jobId);
      const page = store.listLogs(params.jobId, {
        level: query.level,
        since: query.since,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      return json(page.items.map(toLogEntry), 200, nextLink(x, page.nextCursor));
    },
  };
}
