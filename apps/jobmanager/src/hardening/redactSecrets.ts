/**
 * @module
 * Keeps API token secrets out of what the API shows: a job definition is
 * user text, and a user may paste a token into it (an http sink header,
 * an expression). The stored definition keeps it (the TaskManager needs
 * it); the job detail shows it masked.
 */

const SECRET = /fnk_[A-Za-z0-9_-]{43}/g;
export const REDACTED = 'fnk_[redacted]';

/** A copy of `value` with every token-shaped secret in its strings (and keys) masked. */
export function redactSecrets<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(SECRET, REDACTED);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, child]) => [walk(k) as string, walk(child)]),
      );
    return v;
  };
  return walk(value) as T;
}
