/**
 * @module
 * Checkpoint routes: list, trigger now, detail with per-task acknowledgements.
 */
import { NotFoundError } from '../http/errors';
import { nextLink } from '../http/pagination';
import { json } from '../http/reply';
import { requireJob } from '../http/requireJob';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';
import { toCheckpointInfo } from './dto';

type CheckpointHandlers = Pick<
  RouteHandlers,
  'jobs.checkpoints' | 'jobs.triggerCheckpoint' | 'jobs.checkpoint'
>;

/** Handlers of the checkpoint routes. */
export function checkpointRoutes({ store, actions }: RouteDeps): CheckpointHandlers {
  return {
    'jobs.checkpoints': (x, { params, query }) => {
      requireJob(store, params.jobId);
      const page = store.listCheckpoints(params.jobId, {
        status: query.status,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      return json(page.items.map(toCheckpointInfo), 200, nextLink(x, page.nextCursor));
    },
    'jobs.triggerCheckpoint': (_, { params }) =>
      json(toCheckpointInfo(actions.triggerCheckpoint(params.jobId)), 202),
    'jobs.checkpoint': (_, { params }) => {
      requireJob(store, params.jobId);
      const checkpoint = store.getCheckpoint(params.jobId, params.checkpointId);
      if (!checkpoint)
        throw new NotFoundError(
          `checkpoint ${params.checkpointId} of job ${params.jobId} not found`,
        );
      return json({ ...toCheckpointInfo(checkpoint), tasks: checkpoint.tasks }, 200);
    },
  };
}
