/**
 * @module
 * Registers every entry of the contracts' route table: its OpenAPI operation
 * (so the document always matches the code) and a Hono handler that
 * validates params, query, headers and body with the entry's schemas before
 * calling the handler of the same name.
 */

import {
  issuePath,
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  ROUTES,
  type RouteDef,
  type ValidationIssueDto,
} from '@flinknet/contracts';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { jsonDepth, valueDepth } from '../hardening/jsonDepth';
import {
  BadRequestError,
  InvalidIdError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import type { AppEnv, RouteHandlers } from './types';

export interface RegisterOptions {
  bodyLimitBytes: number;
  internalBodyLimitBytes: number;
  /** Deepest JSON nesting accepted in public bodies (400 above). */
  jsonDepthLimit: number;
  /** The same under /internal/v1, whose reports carry user records and state. */
  internalJsonDepthLimit: number;
  /** Runs after the route is known (`c.get('route')`) and before the body is read: where auth plugs in. */
  routeMiddleware?: readonly MiddlewareHandler<AppEnv>[];
}

/** Hono's `:param` form of an OpenAPI path. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Registers all routes; throws at startup when a route of the table has no handler. */
export function registerRoutes(
  app: OpenAPIHono<AppEnv>,
  handlers: Partial<RouteHandlers>,
  options: RegisterOptions,
): void {
  const missing = ROUTES.filter((r) => typeof handlers[r.name] !== 'function').map((r) => r.name);
  if (missing.length > 0) throw new Error(`routes without a handler: ${missing.join(', ')}`);
  for (const def of ROUTES as readonly RouteDef[]) {
    app.openAPIRegistry.registerPath(openApiOperation(def));
    const handler = handlers[def.name as keyof RouteHandlers] as unknown as (
      c: Context<AppEnv>,
      input: unknown,
    ) => Response | Promise<Response>;
    const internal = def.tag === 'internal';
    const maxSize = internal ? options.internalBodyLimitBytes : options.bodyLimitBytes;
    const maxDepth = internal ? options.internalJsonDepthLimit : options.jsonDepthLimit;
    const limit = bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(maxSize);
      },
    });
    app.on(
      def.method.toUpperCase(),
      honoPath(def.path),
      async (c, next) => {
        c.set('route', def);
        await next();
      },
      ...(options.routeMiddleware ?? []),
      // Only routes that read a body pay for the limit (it wraps the request).
      ...(def.body ? [limit] : []),
      async (c) => handler(c, await validateInput(c, def, maxDepth)),
    );
  }
}

/** Validates a request against a route definition; throws the matching 400/415/422. */
export async function validateInput(c: Context, def: RouteDef, maxDepth: number) {
  const params = def.params
    ? parseOr(def.params, c.req.param(), 'params', (e) => new InvalidIdError(e))
    : undefined;
  const query = def.query
    ? parseOr(def.query, c.req.query(), 'query', (e) => new ValidationError(e))
    : undefined;
  const headers = def.headers
    ? parseOr(
        def.headers,
        Object.fromEntries(Object.keys(def.headers.shape).map((k) => [k, c.req.header(k)])),
        'headers',
        (e) => new ValidationError(e),
      )
    : undefined;
  let body: unknown;
  let rawBody: unknown;
  if (def.body) {
    const text = await c.req.text();
    if (text.trim() === '') {
      if (def.bodyRequired)
        throw new ValidationError(
          [{ path: '', message: 'a JSON body is required' }],
          'a JSON body is required',
        );
    } else {
      const contentType = c.req.header('content-type');
      if (!contentType || !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType))
        throw new UnsupportedMediaTypeError(contentType);
      if (jsonDepth(text, maxDepth) > maxDepth)
        throw new BadRequestError(`the body nests JSON deeper than ${maxDepth} levels`);
      try {
        rawBody = JSON.parse(text);
      } catch (error) {
        throw new BadRequestError(`the body is not valid JSON: ${(error as Error).message}`);
      }
      body = parseOr(def.body, rawBody, '', (e) => new ValidationError(e));
      // JSON inside strings (operatorPropertiesJson) is parsed by the schema: its depth counts too.
      if (valueDepth(body, maxDepth) > maxDepth)
        throw new ValidationError(
          [{ path: '', message: `nested deeper than ${maxDepth} levels` }],
          `the body nests JSON deeper than ${maxDepth} levels`,
        );
    }
  }
  return { params, query, headers, body, rawBody };
}

function parseOr(
  schema: z.ZodType,
  value: unknown,
  prefix: string,
  fail: (errors: ValidationIssueDto[]) => Error,
): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw fail(
    result.error.issues.map((issue) => ({
      path: issuePath(prefix, issue.path),
      message: issue.message,
    })),
  );
}

const CONTENT_TYPES = {
  json: 'application/json',
  sse: 'text/event-stream',
  text: 'text/plain',
  html: 'text/html',
} as const;

function openApiOperation(def: RouteDef) {
  const problem = {
    description: 'Problem details (RFC 9457)',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetails } },
  };
  const { kind, schema, status } = def.success;
  const success =
    kind === 'none'
      ? { description: def.summary }
      : {
          description: def.summary,
          content: { [CONTENT_TYPES[kind]]: { schema: schema ?? ({ type: 'string' } as never) } },
        };
  return createRoute({
    method: def.method,
    path: def.path,
    operationId: def.name,
    summary: def.summary,
    tags: [def.tag],
    'x-role': def.role,
    request: {
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { query: def.query } : {}),
      ...(def.headers ? { headers: def.headers } : {}),
      ...(def.body
        ? {
            body: {
              required: def.bodyRequired ?? false,
              content: { 'application/json': { schema: def.body } },
            },
          }
        : {}),
    },
    responses: { [status]: success, default: problem },
  } as Parameters<typeof createRoute>[0]);
}
