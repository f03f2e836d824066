/**
 * @module
 * Dead-letter queue routes: list, get, repair, discard and resubmit.
 */
import { NotFoundError } from '../http/errors';
import { nextLink } from '../http/pagination';
import { json, noContent } from '../http/reply';
import { requireJob } from '../http/requireJob';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';
import { toDlqMessage } from './dto';

type DlqHandlers = Pick<
  RouteHandlers,
  'dlq.list' | 'dlq.get' | 'dlq.update' | 'dlq.delete' | 'dlq.resubmit'
>;

/** Handlers of the DLQ routes. */
export function dlqRoutes({ store, actions }: RouteDeps): DlqHandlers {
  const missing = (jobId: string, messageId: string) =>
    new NotFoundError(`DLQ message ${messageId} of job ${jobId} not found`);
  return {
    'dlq.list': (x, { params, query }) => {
      requireJob(store, params.jobId);
      const page = store.listDlq(params.jobId, {
        status: query.status,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      return json(page.items.map(toDlqMessage), 200, nextLink(x, page.nextCursor));
    },
    'dlq.get': (_, { params }) => {
      requireJob(store, params.jobId);
      const message = store.getDlq(params.jobId, params.messageId);
      if (!message) throw missing(params.jobId, params.messageId);
      return json(toDlqMessage(message), 200);
    },
    'dlq.update': (_, { params, body }) => {
      requireJob(store, params.jobId);
      const message = store.updateDlqPayload(params.jobId, params.messageId, body.newPayload);
      if (!message) throw missing(params.jobId, params.messageId);
      return json(toDlqMessage(message), 200);
    },
    'dlq.delete': (_, { params }) => {
      requireJob(store, params.jobId);
      if (!store.deleteDlq(params.jobId, params.messageId))
        throw missing(params.jobId, params.messageId);
      return noContent();
    },
    'dlq.resubmit': (_, { params, body }) => {
      const messageIds = actions.resubmitDlq(params.jobId, body?.messageIds);
      return json({ jobId: params.jobId, resubmitted: messageIds.length, messageIds }, 202);
    },
  };
}
