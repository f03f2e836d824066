/**
 * @module
 * Page assembly shared by every keyset-paged list.
 */
import { InvalidInputError } from '../errors';
import type { Page } from '../types';
import { encodeCursor } from './cursor';

/** The largest page any list serves (the wire contract's maximum). */
export const MAX_PAGE_SIZE = 1000;

/** Checks a page size: an integer from 1 to MAX_PAGE_SIZE. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError(
      `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`,
    );
  }
  return limit;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that
 * another page exists, and the cursor holds the keys of the last row served.
 */
export function toPage<Row, T>(
  rows: readonly Row[],
  limit: number,
  list: string,
  keysOf: (row: Row) => ReadonlyArray<string | number>,
  map: (row: Row) => T,
): Page<T> {
  const served = rows.slice(0, limit);
  const last = served[served.length - 1];
  const nextCursor =
    rows.length > limit && last !== undefined ? encodeCursor(list, keysOf(last)) : null;
  return { items: served.map(map), nextCursor };
}
