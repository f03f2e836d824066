/**
 * @module
 * HTTP hardening around the routes: secure response headers, CORS only for
 * an allow-list of origins, and a timeout for public routes.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { RequestTimeoutError } from '../http/errors';

/** The API answers data, never pages to embed: nothing may load from or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The docs page is one self-contained HTML file with an inline script and style that fetches the OpenAPI document. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/** Secure headers of every response: hono's `secureHeaders()` defaults, frames denied, and a CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': API_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

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
 * `work`, or a 504 once it has taken `timeoutMs`. Only asynchronous work can
 * overrun: a handler that answers synchronously has no timer to pay for.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  if (timeoutMs <= 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
