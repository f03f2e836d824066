import { describe, expect, it } from 'vitest';
import {
  generateTokenSecret,
  hashesEqual,
  hashTokenSecret,
  looksLikeTokenSecret,
} from './tokenSecrets';

describe('token secrets', () => {
  it('are random, at least 128 bits, and recognisable', () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(4), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(looksLikeTokenSecret(a)).toBe(true);
    expect(looksLikeTokenSecret('fnk_short')).toBe(false);
    expect(looksLikeTokenSecret(`xyz_${a.slice(4)}`)).toBe(false);
  });

  it('are stored as a SHA-256 hash that compares equal only for the same secret', () => {
    const secret = generateTokenSecret();
    const hash = hashTokenSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(hashesEqual(hash, hashTokenSecret(secret))).toBe(true);
    expect(hashesEqual(hash, hashTokenSecret(generateTokenSecret()))).toBe(false);
    expect(hashesEqual(hash, 'abcd')).toBe(false);
  });
});
