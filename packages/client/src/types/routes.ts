/**
 * @module
 * Types of the SDK methods, derived from the contracts' route table so that a
 * change to a route or a DTO changes the SDK's signatures with it.
 *
 * A route `group.method` becomes `client.group.method(...pathParams, input?, options?)`:
 * path parameters positionally in path order, then the body (or, for routes
 * without a body, the query), then per-call options.
 */
import type { ROUTES } from '@flinknet/contracts';
import type { z } from 'zod';
import type { CallOptions, SubmitOptions } from './options';

type AnyRoute = (typeof ROUTES)[number];

/** Routes meant for users (the `internal.*` TaskManager protocol is left out). */
export type PublicRoute = Exclude<AnyRoute, { tag: 'internal' }>;
export type PublicRouteName = PublicRoute['name'];
export type RouteNamed<N extends PublicRouteName> = Extract<PublicRoute, { name: N }>;

/** One page of a paged list and the cursor of the next one (`null` on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type PathParamNames<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? [K, ...PathParamNames<Rest>]
  : [];

type ParamsOf<R> = R extends { params: infer S extends z.ZodType }
  ? z.output<S>
  : Record<string, never>;

type ParamValues<Names, P> = Names extends [infer K, ...infer Rest]
  ? [K extends keyof P ? P[K] : never, ...ParamValues<Rest, P>]
  : [];

/** Path parameter values of route `R`, in path order (e.g. `[jobId: string]`). */
export type PathArgs<R extends PublicRoute> = ParamValues<PathParamNames<R['path']>, ParamsOf<R>>;

/** The query a route takes (what the server will see after parsing). */
export type RouteQuery<R> = R extends { query: infer Q extends z.ZodType }
  ? Partial<z.output<Q>>
  : never;
/** The body a route takes (before server-side defaults and transforms apply). */
export type RouteBody<R> = R extends { body: infer B extends z.ZodType } ? z.input<B> : never;

type InputArgs<R> = R extends { body: z.ZodType }
  ? R extends { bodyRequired: true }
    ? [body: RouteBody<R>]
    : [body?: RouteBody<R>]
  : R extends { query: z.ZodType }
    ? [query?: RouteQuery<R>]
    : [];

type OptionsOf<R> = R extends { headers: z.ZodType } ? SubmitOptions : CallOptions;

/** Positional arguments of the method of route `R`. */
export type RouteArgs<R extends PublicRoute> = [
  ...PathArgs<R>,
  ...InputArgs<R>,
  options?: OptionsOf<R>,
];

type JsonOf<R> = R extends { success: { schema: infer S extends z.ZodType } } ? z.output<S> : never;
type ItemOf<T> = T extends readonly (infer E)[] ? E : never;

/** What the method of route `R` resolves to: the DTO, a Page of DTOs, text, or nothing. */
export type RouteResult<R> = R extends { success: { kind: 'json' } }
  ? R extends { paged: true }
    ? Page<ItemOf<JsonOf<R>>>
    : JsonOf<R>
  : R extends { success: { kind: 'text' } }
    ? string
    : undefined;

/** The element type of a paged route. */
export type RouteItem<R> = ItemOf<JsonOf<R>>;

type RouteMethod<R extends PublicRoute> = (...args: RouteArgs<R>) => Promise<RouteResult<R>>;

type PagedRoute = Extract<PublicRoute, { paged: true }>;
type IteratorName<M extends string> = M extends 'list' ? 'iterate' : `iterate${Capitalize<M>}`;
type IteratorArgs<R extends PublicRoute> = [
  ...PathArgs<R>,
  query?: RouteQuery<R>,
  options?: CallOptions,
];

/** Group names: the part of a route name before the dot (`jobs`, `dlq`, ...). */
export type GroupName = PublicRouteName extends infer N
  ? N extends `${infer G}.${string}`
    ? G
    : never
  : never;

/** The methods of one group, one per route, plus an `iterate...` method per paged route. */
export type RouteGroup<G extends GroupName> = {
  [R in PublicRoute as R['name'] extends `${G}.${infer M}` ? M : never]: RouteMethod<R>;
} & {
  [R in PagedRoute as R['name'] extends `${G}.${infer M}` ? IteratorName<M> : never]: (
    ...args: IteratorArgs<R>
  ) => AsyncIterableIterator<RouteItem<R>>;
};
