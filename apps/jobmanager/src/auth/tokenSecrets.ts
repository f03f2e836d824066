/**
 * @module
 * API token secrets: generated with 256 bits of randomness, stored only as
 * SHA-256 hashes, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'fnk_';

/** A new token secret: `fnk_` + 43 base64url characters (256 random bits). */
export function generateTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** A short public id for a token (what logs and the audit log show). */
export function generateTokenId(): string {
  return `tok_${randomBytes(9).toString('base64url')}`;
}

/** SHA-256 hex of a secret: what the store keeps. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes of equal length. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when a string has the shape of a token secret (cheap pre-check before hashing). */
export function looksLikeTokenSecret(value: string): boolean {
  return (
    value.startsWith(PREFIX) &&
    value.length === PREFIX.length + 43 &&
    /^[A-Za-z0-9_-]+$/.test(value.slice(PREFIX.length))
  );
}
