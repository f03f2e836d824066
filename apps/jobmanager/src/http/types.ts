/**
 * @module
 * Types shared by the route modules: who made a request, and a handler per
 * route name whose input is typed by the route's schemas in the contracts.
 */
import type { ROUTES, Role, RouteName } from '@flinknet/contracts';
import type { z } from 'zod';
import type { Exchange } from './exchange';
import type { Answer } from './reply';

/** Who made a request: the token that authenticated it (never its secret). */
export interface Principal {
  tokenId: string;
  role: Role;
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
  x: Exchange,
  input: RouteInput<N>,
) => Answer | Promise<Answer>;

/** One handler per route of the table. */
export type RouteHandlers = { [N in RouteName]: RouteHandler<N> };
