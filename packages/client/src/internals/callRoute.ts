/**
 * @module
 * Calls one route of the table with the positional arguments of its SDK
 * method: path parameters, then the body or query, then options.
 */
import { buildPath, type RouteDef } from '@flinknet/contracts';
import type { SubmitOptions } from '../types/options';
import type { Page } from '../types/routes';
import { nextCursorFromLink } from './linkHeader';
import { send, type Transport } from './transport';

/** A route's arguments sorted into their parts. */
export interface RouteCall {
  readonly params: Record<string, string | number>;
  readonly input: Record<string, unknown> | undefined;
  readonly options: SubmitOptions;
}

/** Names of the `{placeholders}` of a path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
}

function takesInput(route: RouteDef): boolean {
  return route.body !== undefined || route.query !== undefined;
}

/** Sorts positional arguments into path params, input and options, with a clear error for bad ones. */
export function parseArgs(route: RouteDef, args: readonly unknown[]): RouteCall {
  const names = pathParamNames(route.path);
  const params: Record<string, string | number> = {};
  names.forEach((name, i) => {
    const value = args[i];
    if (
      !(
        (typeof value === 'string' && value !== '') ||
        (typeof value === 'number' && Number.isFinite(value))
      )
    ) {
      throw new TypeError(
        `${route.name}: ${name} must be a non-empty string${name === 'checkpointId' ? ' or number' : ''}, got ${JSON.stringify(value)}`,
      );
    }
    params[name] = value;
  });
  let next = names.length;
  let input: Record<string, unknown> | undefined;
  if (takesInput(route)) {
    const value = args[next++];
    if (
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new TypeError(
        `${route.name}: ${route.body ? 'body' : 'query'} must be an object, got ${JSON.stringify(value)}`,
      );
    }
    if (value === undefined && route.bodyRequired)
      throw new TypeError(`${route.name}: a body is required`);
    input = value as Record<string, unknown> | undefined;
  }
  const options = args[next];
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${route.name}: options must be an object, got ${JSON.stringify(options)}`);
  }
  if (args.length > next + 1)
    throw new TypeError(
      `${route.name}: expected at most ${next + 1} arguments, got ${args.length}`,
    );
  return { params, input, options: (options ?? {}) as SubmitOptions };
}

function idempotencyKeyFor(
  transport: Transport,
  route: RouteDef,
  options: SubmitOptions,
): string | undefined {
  const accepts = route.headers !== undefined && 'idempotency-key' in route.headers.shape;
  if (!accepts) return undefined;
  if (options.idempotencyKey !== undefined) return options.idempotencyKey;
  return transport.idempotencyKeys === 'auto' ? globalThis.crypto.randomUUID() : undefined;
}

/** Sends a route call and decodes its success body the way the route declares it. */
export async function callRoute(
  transport: Transport,
  route: RouteDef,
  call: RouteCall,
): Promise<unknown> {
  const { options } = call;
  const idempotencyKey = idempotencyKeyFor(transport, route, options);
  const headers = {
    ...options.headers,
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
  };
  const init = {
    method: route.method,
    path: buildPath(route.path, call.params),
    query: route.body === undefined ? call.input : undefined,
    body: route.body === undefined ? undefined : call.input,
    headers,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    retryable: route.method === 'get' || idempotencyKey !== undefined,
  };
  return send(transport, init, async (response): Promise<unknown> => {
    switch (route.success.kind) {
      case 'json': {
        const body: unknown = await response.json();
        if (!route.paged) return body;
        const page: Page<unknown> = {
          items: body as unknown[],
          nextCursor: nextCursorFromLink(response.headers.get('link')),
        };
        return page;
      }
      case 'text':
      case 'html':
        return response.text();
      default:
        await response.body?.cancel();
        return undefined;
    }
  });
}

/** Follows `nextCursor` from page to page, yielding every item of a paged route. */
export async function* iterateRoute(
  transport: Transport,
  route: RouteDef,
  args: readonly unknown[],
): AsyncGenerator<unknown> {
  const call = parseArgs(route, args);
  let cursor: string | undefined = (call.input?.cursor as string | undefined) ?? undefined;
  do {
    const page = (await callRoute(transport, route, {
      ...call,
      input: { ...call.input, cursor },
    })) as Page<unknown>;
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
