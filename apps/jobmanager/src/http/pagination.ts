/**
 * @module
 * Lists answer a plain array and put the next page in a `Link` header.
 */
import type { Context } from 'hono';

/** Sets `Link: <path?...&cursor=...>; rel="next"` when there is a next page. */
export function setNextLink(c: Context, nextCursor: string | null): void {
  if (nextCursor === null) return;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', nextCursor);
  c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
}
