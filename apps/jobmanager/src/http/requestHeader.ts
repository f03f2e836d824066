/**
 * @module
 * Request headers read from the Node request when there is one: Hono's
 * `c.req.header()` first copies every header into a `Headers` object,
 * which the hot routes need not pay for.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The value of header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
