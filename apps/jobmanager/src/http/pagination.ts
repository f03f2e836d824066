/**
 * @module
 * Lists answer a plain array and put the next page in a `Link` header.
 */
import type { Context } from 'hono';

/** `{ link: '<path?...&cursor=...>; rel="next"' }` when there is a next page, else no header. */
export function nextLink(
  c: Context,
  nextCursor: string | null,
): Record<string, string> | undefined {
  if (nextCursor === null) return undefined;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', nextCursor);
  return { link: `<${url.pathname}${url.search}>; rel="next"` };
}
