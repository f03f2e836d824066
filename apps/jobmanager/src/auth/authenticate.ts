/**
 * @module
 * Bearer-token authentication and role checks. The role a route needs is
 * data in the contracts' route table (`route.role`); the route pipeline
 * checks it once the route is known and before the body is read, so an
 * anonymous caller never gets a body parsed.
 *
 * A verified token is remembered for a few seconds (hashing the secret and
 * reading the token row would otherwise be most of a status request);
 * deleting a token forgets it at once, and expiry is checked on every
 * request.
 */
import { type RouteRole, roleSatisfies } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import { ForbiddenError, UnauthorizedError } from '../http/errors';
import type { Exchange } from '../http/exchange';
import type { Principal } from '../http/types';
import type { FailureThrottle } from './failureThrottle';
import { hashesEqual, hashTokenSecret, looksLikeTokenSecret } from './tokenSecrets';

export interface AuthenticateOptions {
  store: JobRepository;
  /** Epoch ms (expiry). */
  now: () => number;
  /** Slows down repeated failures per address. */
  throttle: FailureThrottle;
  /** `lastUsedAt` is written at most this often per token (heartbeats would write every second). Default 60 s. */
  touchEveryMs?: number;
  /** How long a verified token is trusted without reading the store again. Default 5 s. */
  rememberMs?: number;
}

interface Verified {
  principal: Principal;
  /** Epoch ms, or Infinity. */
  expiresAtMs: number;
  verifiedAtMs: number;
}

/** More distinct live tokens than this in a few seconds is not a real workload: start over rather than grow. */
const MAX_REMEMBERED = 1024;

/** Checks the bearer token of requests against the role their route needs. */
export class Authenticator {
  readonly #store: JobRepository;
  readonly #now: () => number;
  readonly #throttle: FailureThrottle;
  readonly #touchEveryMs: number;
  readonly #rememberMs: number;
  readonly #touched = new Map<string, number>();
  /** Secret -> what verifying it found. Only valid tokens are kept. */
  readonly #verified = new Map<string, Verified>();

  constructor(options: AuthenticateOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#throttle = options.throttle;
    this.#touchEveryMs = options.touchEveryMs ?? 60_000;
    this.#rememberMs = options.rememberMs ?? 5_000;
  }

  /**
   * Sets `principal` when the request carries a valid token whose role is
   * at least `need`. Throws 401/403; failures return a promise that waits
   * out the throttle delay before rejecting.
   */
  check(x: Exchange, need: RouteRole): undefined | Promise<never> {
    if (need === 'public') return;
    const header = x.header('authorization');
    if (header === undefined || header.trim() === '')
      throw new UnauthorizedError(
        'this route needs a bearer token (Authorization: Bearer <token>)',
      );
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) return this.#reject(x, 'the Authorization header must be "Bearer <token>"');
    const secret = match[1]!;
    const nowMs = this.#now();
    let verified = this.#verified.get(secret);
    if (verified === undefined || nowMs - verified.verifiedAtMs >= this.#rememberMs) {
      verified = this.#verify(secret, nowMs);
      if (verified === undefined) {
        this.#verified.delete(secret);
        return this.#reject(x, 'the token is not valid');
      }
    }
    if (verified.expiresAtMs <= nowMs) {
      this.#verified.delete(secret);
      return this.#reject(x, 'the token has expired');
    }
    const { principal } = verified;
    this.#throttle.succeed(x.clientAddress);
    x.principal = principal;
    const last = this.#touched.get(principal.tokenId) ?? 0;
    if (nowMs - last >= this.#touchEveryMs) {
      this.#touched.set(principal.tokenId, nowMs);
      this.#store.touchToken(principal.tokenId, new Date(nowMs).toISOString());
    }
    if (!roleSatisfies(principal.role, need)) throw new ForbiddenError(principal.role, need);
  }

  /** Stops trusting a token at once (it was deleted). */
  forget(tokenId: string): void {
    for (const [secret, verified] of this.#verified)
      if (verified.principal.tokenId === tokenId) this.#verified.delete(secret);
    this.#touched.delete(tokenId);
  }

  #verify(secret: string, nowMs: number): Verified | undefined {
    if (!looksLikeTokenSecret(secret)) return undefined;
    const hash = hashTokenSecret(secret);
    const token = this.#store.findTokenByHash(hash);
    if (!token || !hashesEqual(token.hash, hash)) return undefined;
    if (this.#verified.size >= MAX_REMEMBERED) this.#verified.clear();
    const verified: Verified = {
      principal: { tokenId: token.tokenId, role: token.role },
      expiresAtMs:
        token.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(token.expiresAt),
      verifiedAtMs: nowMs,
    };
    this.#verified.set(secret, verified);
    return verified;
  }

  async #reject(x: Exchange, detail: string): Promise<never> {
    const address = x.clientAddress;
    this.#throttle.fail(address);
    const delayMs = this.#throttle.delayFor(address);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    throw new UnauthorizedError(detail, 'invalid_token');
  }
}
