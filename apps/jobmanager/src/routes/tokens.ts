/**
 * @module
 * API token routes. Creating answers the secret once; only its hash is kept.
 */
import { generateTokenId, generateTokenSecret, hashTokenSecret } from '../auth/tokenSecrets';
import { NotFoundError } from '../http/errors';
import { json, noContent } from '../http/reply';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';
import { toToken } from './dto';

type TokenHandlers = Pick<RouteHandlers, 'tokens.create' | 'tokens.list' | 'tokens.delete'>;

/** Handlers of the token routes. */
export function tokenRoutes({ store, now, forgetToken }: RouteDeps): TokenHandlers {
  return {
    'tokens.create': (_, { body }) => {
      const secret = generateTokenSecret();
      const token = store.createToken({
        tokenId: generateTokenId(),
        name: body.name,
        role: body.role,
        hash: hashTokenSecret(secret),
        expiresAt:
          body.expiresInMs === undefined ? null : new Date(now() + body.expiresInMs).toISOString(),
      });
      return json({ ...toToken(token), token: secret }, 201);
    },
    'tokens.list': () => json(store.listTokens().map(toToken), 200),
    'tokens.delete': (_, { params }) => {
      if (!store.deleteToken(params.tokenId))
        throw new NotFoundError(`token ${params.tokenId} not found`);
      forgetToken(params.tokenId);
      return noContent();
    },
  };
}
