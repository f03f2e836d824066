/**
 * @module
 * Responses of the route handlers. Each is built once with every header it
 * carries (the security headers, the request id, its own) as one plain
 * object: `@hono/node-server` writes such a response to the socket as it
 * is, while headers added afterwards go through a `Headers` object and cost
 * more than the route's own work on a hot GET.
 */
import type { Context } from 'hono';
import { SECURITY_HEADERS } from '../hardening/httpHardening';

/** Responses built here, with their headers as given (reading `res.headers` would build a `Headers`). */
const enveloped = new WeakMap<Response, Record<string, string>>();

/** Whether `res` was built here, so it already carries the security headers and the request id. */
export function isEnveloped(res: Response): boolean {
  return enveloped.has(res);
}

/** Header `name` (lower case) of a response, read without building a `Headers` when it was built here. */
export function responseHeader(res: Response, name: string): string | undefined {
  const plain = enveloped.get(res);
  return plain ? plain[name] : (res.headers.get(name) ?? undefined);
}

/** A response with the security headers, the request id and `headers`. */
export function reply(
  c: Context,
  body: string | null,
  status: number,
  headers?: Record<string, string>,
): Response {
  const all: Record<string, string> = { ...SECURITY_HEADERS, ...headers };
  const requestId = c.get('requestId' as never) as string | undefined;
  if (requestId !== undefined) all['x-request-id'] = requestId;
  const res = new Response(body, { status, headers: all });
  enveloped.set(res, all);
  return res;
}

/** `data` as JSON. */
export function json(
  c: Context,
  data: unknown,
  status = 200,
  headers?: Record<string, string>,
): Response {
  return reply(c, JSON.stringify(data), status, { 'content-type': 'application/json', ...headers });
}

/** 204 without a body. */
export function noContent(c: Context): Response {
  return reply(c, null, 204);
}
