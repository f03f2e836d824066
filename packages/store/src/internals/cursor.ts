/**
 * @module
 * Opaque keyset cursors: base64url JSON of the list's name and the sort keys
 * of the last row served. A cursor only works on the list that issued it.
 */
import { InvalidCursorError } from '../errors';

type KeyKind = 's' | 'n';
type KeyValues<S extends readonly KeyKind[]> = {
  [K in keyof S]: S[K] extends 's' ? string : number;
};

/** Encodes the sort keys of the last row of a page. */
export function encodeCursor(list: string, keys: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([list, ...keys]), 'utf8').toString('base64url');
}

/** Decodes a cursor of `list` whose keys have the kinds in `shape`; anything else is InvalidCursorError. */
export function decodeCursor<const S extends readonly KeyKind[]>(
  list: string,
  cursor: string,
  shape: S,
): KeyValues<S> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== list) {
    throw new InvalidCursorError();
  }
  const keys = parsed.slice(1);
  shape.forEach((kind, i) => {
    const value: unknown = keys[i];
    const ok = kind === 's' ? typeof value === 'string' : Number.isSafeInteger(value);
    if (!ok) throw new InvalidCursorError();
  });
  return keys as KeyValues<S>;
}
