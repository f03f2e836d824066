/**
 * @module
 * Bearer-token authentication and role checks. The role a route needs is
 * data in the contracts' route table (`route.role`); this middleware runs
 * once the route is known and before the body is read, so an anonymous
 * caller never gets a body parsed.
 */
import { roleSatisfies } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import type { Context, MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../http/errors';
import type { AppEnv } from '../http/types';
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
}

/** Middleware: 401 without a valid token, 403 when its role is below the route's; sets `principal`. */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  const { store, now, throttle } = options;
  const touchEveryMs = options.touchEveryMs ?? 60_000;
  const touched = new Map<string, number>();

  const reject = async (c: Context<AppEnv>, detail: string): Promise<never> => {
    const address = clientAddress(c);
    throttle.fail(address);
    const delayMs = throttle.delayFor(address);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    throw new UnauthorizedError(detail, 'invalid_token');
  };

  return async (c, next) => {
    const need = c.get('route').role;
    if (need === 'public') return next();
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '')
      throw new UnauthorizedError(
        'this route needs a bearer token (Authorization: Bearer <token>)',
      );
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) return reject(c, 'the Authorization header must be "Bearer <token>"');
    const secret = match[1]!;
    if (!looksLikeTokenSecret(secret)) return reject(c, 'the token is not valid');
    const hash = hashTokenSecret(secret);
    const token = store.findTokenByHash(hash);
    if (!token || !hashesEqual(token.hash, hash)) return reject(c, 'the token is not valid');
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now())
      return reject(c, 'the token has expired');
    throttle.succeed(clientAddress(c));
    c.set('principal', { tokenId: token.tokenId, role: token.role });
    const last = touched.get(token.tokenId) ?? 0;
    if (now() - last >= touchEveryMs) {
      touched.set(token.tokenId, now());
      store.touchToken(token.tokenId, new Date(now()).toISOString());
    }
    if (!roleSatisfies(token.role, need)) throw new ForbiddenError(token.role, need);
    return next();
  };
}

/**
 * The peer address of the connection (`@hono/node-server` passes the Node
 * request as `env.incoming`); forwarded headers are not trusted, as anyone
 * can set them. Requests without a socket (`app.request()` in tests) share "local".
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}
