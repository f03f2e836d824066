/**
 * @module
 * HTTP hardening around the routes: secure response headers, CORS only for
 * an allow-list of origins, and a timeout for public routes.
 */
import { RequestTimeoutError } from '../http/errors';

/** The API answers data, never pages to embed: nothing may load from or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The docs page is one self-contained HTML file with an inline script and style that fetches the OpenAPI document. */
const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/**
 * Headers of every answer: the set the OWASP REST Security Cheat Sheet asks
 * of API responses (no caching, no sniffing, no framing, HTTPS only), plus
 * no cross-origin embedding and no referrer. Headers that only act on HTML
 * documents are in `DOCUMENT_HEADERS`, sent with the one page served: each
 * header costs every answer its validation and bytes.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': API_CSP,
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** Added to HTML answers (the docs page): helmet's defaults for documents, and a CSP that lets its inline script run. */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': DOCS_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** The CORS headers of answers to the allowed origins. */
export interface CorsPolicy {
  /** Headers for a request from `origin`; undefined when it is not allowed (no CORS header at all). */
  answer(origin: string | undefined): Readonly<Record<string, string>> | undefined;
  /** Headers a preflight from `origin` gets on top of `answer(origin)`; undefined when it is not allowed. */
  preflight(origin: string | undefined): Readonly<Record<string, string>> | undefined;
}

/**
 * CORS for the allowed origins only (none by default: no CORS header at all).
 * Tokens travel in the Authorization header, never in cookies, so credentials stay off.
 */
export function corsAllowList(origins: readonly string[]): CorsPolicy | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins);
  const answers = new Map<string, Record<string, string>>();
  const preflights = new Map<string, Record<string, string>>();
  for (const origin of allowed) {
    const answer = {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': 'Location, Link, WWW-Authenticate',
      vary: 'Origin',
    };
    answers.set(origin, answer);
    preflights.set(origin, {
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID',
      'access-control-max-age': '600',
    });
  }
  return {
    answer: (origin) => (origin === undefined ? undefined : answers.get(origin)),
    preflight: (origin) => (origin === undefined ? undefined : preflights.get(origin)),
  };
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
