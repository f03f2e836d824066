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
    'dlq.list': (c, { params, query }) => {
      requireJob(store, params.jobId);
      const page = store.listDlq(params.jobId, {
        status: query.status,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      return json(c, page.items.map(toDlqMessage), 200, nextLink(c, page.nextCursor));
    },
    'dlq.get': (c, { params }) => {
      requireJob(store, params.jobId);
      const message = store.getDlq(params.jobId, params.messageId);
      if (!message) throw missing(params.jobId, params.messageId);
      return json(c, toDlqMessage(message), 200);
    },
    'dlq.update': (c, { params, body }) => {
      requireJob(store, params.jobId);
      const message = store.updateDlqPayload(params.jobId, params.messageId, body.newPayload);
      if (!message) throw missing(params.jobId, params.messageId);
      return json(c, toDlqMessage(message), 200);
    },
    'dlq.delete': (c, { params }) => {
      requireJob(store, params.jobId);
      if (!store.deleteDlq(params.jobId, params.messageId))
        throw missing(params.jobId, params.messageId);
      return noContent(c);
    },
    'dlq.resubmit': (c, { params, body }) => {
      const messageIds = actions.resubmitDlq(params.jobId, body?.messageIds);
      return json(c, { jobId: params.jobId, resubmitted: messageIds.length, messageIds }, 202);
    },
  };
}
