/**
 * @module
 * The audit log route: admins page through every mutating request, newest first.
 */
import { type AuditEntryDto, Role } from '@flinknet/contracts';
import type { AuditRecord } from '@flinknet/store';
import { nextLink } from '../http/pagination';
import { json } from '../http/reply';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

type AuditHandlers = Pick<RouteHandlers, 'audit.list'>;

/** Handler of `GET /api/jobmanager/audit`. */
export function auditRoutes({ store }: RouteDeps): AuditHandlers {
  return {
    'audit.list': (x, { query }) => {
      const page = store.listAudit({ limit: query.limit ?? 50, cursor: query.cursor });
      return json(page.items.map(toAuditEntry), 200, nextLink(x, page.nextCursor));
    },
  };
}

/** The wire form of an audit record. */
export function toAuditEntry(r: AuditRecord): AuditEntryDto {
  const role = Role.safeParse(r.role);
  return {
    id: r.id,
    at: r.at,
    tokenId: r.tokenId,
    role: role.success ? role.data : null,
    method: r.method,
    route: r.route,
    jobId: r.jobId,
    status: r.status,
    requestId: r.requestId,
  };
}
