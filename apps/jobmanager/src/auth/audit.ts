/**
 * @module
 * The audit log: every request to a mutating route (`mutates: true` in the
 * route table) is recorded with its token id, role, route, job and the
 * status it was answered with, including requests that were refused.
 */
import { JobId } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../http/types';

export interface AuditTrailOptions {
  store: JobRepository;
  logger: Logger;
}

/** Middleware: appends one audit entry per mutating request once it is answered. */
export function auditTrail({ store, logger }: AuditTrailOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const def = c.get('route');
    if (!def.mutates) return next();
    try {
      await next();
    } finally {
      const principal = c.get('principal');
      try {
        store.appendAudit({
          tokenId: principal?.tokenId ?? null,
          role: principal?.role ?? null,
          method: def.method.toUpperCase(),
          route: def.path,
          jobId: jobIdOf(c),
          status: c.res.status,
          requestId: c.get('requestId') ?? null,
        });
      } catch (error) {
        // The answer is already decided; a failed audit write must not turn it into a 500.
        logger.error({ err: error, reqId: c.get('requestId') }, 'audit write failed');
      }
    }
  };
}

/** The job a request acted on: its `jobId` param, or the job a submit created (from `Location`). */
function jobIdOf(c: Context<AppEnv>): string | null {
  const fromParam = c.req.param('jobId' as never) as string | undefined;
  const fromLocation = /\/jobs\/([^/]+)$/.exec(c.res.headers.get('location') ?? '')?.[1];
  const candidate = fromParam ?? fromLocation;
  // Only well-formed ids are recorded: a param can be any string a caller typed.
  return candidate !== undefined && JobId.safeParse(candidate).success ? candidate : null;
}
