/**
 * @module
 * Lists answer a plain array and put the next page in a `Link` header.
 */
import type { Exchange } from './exchange';

/** `{ link: '<path?...&cursor=...>; rel="next"' }` when there is a next page, else no header. */
export function nextLink(
  x: Exchange,
  nextCursor: string | null,
): Record<string, string> | undefined {
  if (nextCursor === null) return undefined;
  const search = new URLSearchParams(x.search);
  search.set('cursor', nextCursor);
  return { link: `<${x.path}?${search}>; rel="next"` };
}
