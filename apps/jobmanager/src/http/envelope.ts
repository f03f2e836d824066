/**
 * @module
 * The one middleware around every request: it gives the request an id,
 * makes sure the answer carries the security headers and that id, and
 * records the request in the metrics and the log. One layer instead of one
 * per concern, because every async layer costs each request its own
 * promise chain.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { DOCS_CSP, SECURITY_HEADERS } from '../hardening/httpHardening';
import type { AppMetrics } from '../metrics';
import { isEnveloped } from './reply';
import { requestHeader } from './requestHeader';
import type { AppEnv } from './types';

export interface EnvelopeOptions {
  metrics: AppMetrics;
  logger: Logger;
  /** The docs page, whose inline script needs a CSP of its own. */
  docsPath: string;
}

/** A caller's own X-Request-Id is kept when it is short and plain; otherwise a new one is made. */
const CALLER_REQUEST_ID = /^[\w\-=]{1,255}$/;

/** Middleware: request id, security headers, metrics and the request log. */
export function envelope({
  metrics,
  logger,
  docsPath,
}: EnvelopeOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const given = requestHeader(c, 'x-request-id');
    const requestId = given !== undefined && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    await next();
    const res = c.res;
    // Streams, the docs page and the OpenAPI document are not built by reply(): add the headers the slow way.
    if (!isEnveloped(res)) {
      for (const name in SECURITY_HEADERS) res.headers.set(name, SECURITY_HEADERS[name]!);
      if (c.req.path === docsPath) res.headers.set('content-security-policy', DOCS_CSP);
      res.headers.set('x-request-id', requestId);
    }
    const route = c.get('route');
    const method = c.req.method;
    const status = res.status;
    const seconds = (performance.now() - started) / 1000;
    const path = route?.path ?? 'unmatched';
    metrics.httpRequests.inc({ method, route: path, status: String(status) });
    metrics.httpDuration.observe({ method, route: path }, seconds);
    // Answered reads are debug, as in Flink's REST handlers: dashboards, `watch` and
    // TaskManager heartbeats poll every second. Changes and failures stay at info.
    const level =
      status < 400 && (method === 'GET' || method === 'HEAD' || route?.tag === 'internal')
        ? 'debug'
        : 'info';
    if (logger.isLevelEnabled(level))
      logger[level](
        { reqId: requestId, method, path: c.req.path, status, ms: Math.round(seconds * 1000) },
        'request',
      );
  };
}
