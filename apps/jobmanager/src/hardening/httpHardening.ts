/**
 * @module
 * HTTP hardening around the routes: secure response headers, CORS only for
 * an allow-list of origins, and a timeout for public routes.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { RequestTimeoutError } from '../http/errors';
import type { AppEnv } from '../http/types';

/** The API answers data, never pages to embed: nothing may load from or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The docs page is one self-contained HTML file with an inline script and style that fetches the OpenAPI document. */
const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/** Secure headers on every response (hono's defaults plus a Content-Security-Policy). */
export function securityHeaders(docsPath: string): MiddlewareHandler {
  const defaults = secureHeaders({ xFrameOptions: 'DENY' });
  return async (c, next) => {
    await defaults(c, async () => {
      await next();
      c.res.headers.set('Content-Security-Policy', c.req.path === docsPath ? DOCS_CSP : API_CSP);
    });
  };
}

/**
 * CORS for the allowed origins only (none by default: no CORS header at all).
 * Tokens travel in the Authorization header, never in cookies, so credentials stay off.
 */
export function corsAllowList(origins: readonly string[]): MiddlewareHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    exposeHeaders: ['Location', 'Link', 'WWW-Authenticate'],
    maxAge: 600,
  });
}

/**
 * Route middleware: answers 504 when a public route takes longer than `timeoutMs`.
 * Event streams and the TaskManager protocol (long-poll, snapshot uploads) are long on purpose.
 */
export function requestTimeout(timeoutMs: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const def = c.get('route');
    if (def.tag === 'internal' || def.success.kind === 'sse' || timeoutMs <= 0) return next();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
