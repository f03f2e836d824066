/**
 * @module
 * Types shared by the route modules: the Hono env, and a handler per route
 * name whose input is typed by the route's schemas in the contracts.
 */
import type { ROUTES, Role, RouteDef, RouteName } from '@flinknet/contracts';
import type { Context } from 'hono';
import type { z } from 'zod';

/** Who made a request: the token that authenticated it (never its secret). */
export interface Principal {
  tokenId: string;
  role: Role;
}

/** Hono variables every request carries; auth reads `route.role` and sets `principal`. */
export interface AppEnv {
  Variables: {
    requestId: string;
    route: RouteDef;
    /** Unset for public routes and when auth is off. */
    principal: Principal | undefined;
  };
}

type Def<N extends RouteName> = Extract<(typeof ROUTES)[number], { name: N }>;
type Parsed<D, K extends string> = D extends { readonly [P in K]: infer S extends z.ZodType }
  ? z.output<S>
  : undefined;
type BodyOf<D> = D extends { bodyRequired: true }
  ? Parsed<D, 'body'>
  : Parsed<D, 'body'> | undefined;

/** What a handler receives after validation. */
export interface RouteInput<N extends RouteName> {
  params: Parsed<Def<N>, 'params'>;
  query: Parsed<Def<N>, 'query'>;
  headers: Parsed<Def<N>, 'headers'>;
  body: BodyOf<Def<N>>;
  /** The body as parsed JSON before validation (idempotency hashes it). */
  rawBody: unknown;
}

export type RouteHandler<N extends RouteName> = (
  c: Context<AppEnv>,
  input: RouteInput<N>,
) => Response | Promise<Response>;

/** One handler per route of the table. */
export type RouteHandlers = { [N in RouteName]: RouteHandler<N> };
