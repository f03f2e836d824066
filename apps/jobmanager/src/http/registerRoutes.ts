/**
 * @module
 * Registers every entry of the contracts' route table: its OpenAPI operation
 * (so the document always matches the code) and one Hono handler that runs
 * the route's pipeline: audit (mutating routes), auth, timeout, then input
 * validation with the entry's schemas and the handler of the same name.
 * The pipeline is plain function calls rather than a middleware chain, and
 * a route that answers synchronously stays synchronous: on a hot GET every
 * promise and timer per request shows in the throughput.
 */
import type { IncomingMessage } from 'node:http';
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
import type { z } from 'zod';
import type { AuditTrail } from '../auth/audit';
import type { Authenticator } from '../auth/authenticate';
import { withTimeout } from '../hardening/httpHardening';
import { jsonDepth, valueDepth } from '../hardening/jsonDepth';
import {
  BadRequestError,
  InvalidIdError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { toHttpError } from './problem';
import { requestHeader } from './requestHeader';
import type { AppEnv, RouteHandlers } from './types';

export interface RegisterOptions {
  bodyLimitBytes: number;
  internalBodyLimitBytes: number;
  /** Deepest JSON nesting accepted in public bodies (400 above). */
  jsonDepthLimit: number;
  /** The same under /internal/v1, whose reports carry user records and state. */
  internalJsonDepthLimit: number;
  /** Public routes answer 504 after this long (0: never). Event streams and the TaskManager protocol are long on purpose. */
  requestTimeoutMs: number;
  /** Checks tokens and roles; undefined when auth is off. */
  authenticator?: Authenticator | undefined;
  /** Records requests to mutating routes. */
  audit?: AuditTrail | undefined;
  /** Extra middleware run once the route is known (`c.get('route')`) and auth passed, before the body is read. */
  routeMiddleware?: readonly MiddlewareHandler<AppEnv>[];
}

/** Hono's `:param` form of an OpenAPI path. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

type Answer = Response | Promise<Response>;

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
    ) => Answer;
    app.on(def.method.toUpperCase(), honoPath(def.path), routePipeline(def, handler, options));
  }
}

/** The one handler of a route: audit, auth, timeout, validation, then the route's handler. */
function routePipeline(
  def: RouteDef,
  handler: (c: Context<AppEnv>, input: unknown) => Answer,
  options: RegisterOptions,
): (c: Context<AppEnv>) => Answer {
  const internal = def.tag === 'internal';
  const limits = {
    maxBytes: internal ? options.internalBodyLimitBytes : options.bodyLimitBytes,
    maxDepth: internal ? options.internalJsonDepthLimit : options.jsonDepthLimit,
  };
  const timeoutMs =
    internal || def.success.kind === 'sse' ? 0 : Math.max(0, options.requestTimeoutMs);
  const { authenticator, audit } = options;
  const extra = options.routeMiddleware ?? [];

  const respond = (c: Context<AppEnv>): Answer =>
    def.body
      ? readInput(c, def, limits).then((input) => handler(c, input))
      : handler(c, { ...validateRequest(c, def), body: undefined, rawBody: undefined });

  const respondAfterExtra = async (c: Context<AppEnv>): Promise<Response> => {
    let answer: Response | undefined;
    const dispatch = async (i: number): Promise<void> => {
      if (i === extra.length) {
        answer = await respond(c);
        return;
      }
      const early = await extra[i]!(c, () => dispatch(i + 1));
      if (early instanceof Response) answer = early;
    };
    await dispatch(0);
    return answer ?? c.res;
  };

  const guarded = (c: Context<AppEnv>): Answer => {
    const refused = authenticator?.check(c, def.role);
    if (refused) return refused;
    const answer = extra.length > 0 ? respondAfterExtra(c) : respond(c);
    return answer instanceof Promise && timeoutMs > 0 ? withTimeout(answer, timeoutMs) : answer;
  };

  if (!def.mutates || !audit) {
    return (c) => {
      c.set('route', def);
      return guarded(c);
    };
  }
  // Refused and timed-out requests are audited too, with the status they were answered.
  return async (c) => {
    c.set('route', def);
    let response: Response | undefined;
    let status = 500;
    try {
      response = await guarded(c);
      status = response.status;
      return response;
    } catch (error) {
      status = toHttpError(error).status;
      throw error;
    } finally {
      await audit.record(c, def, status, response);
    }
  };
}

/** Reads and validates a request with a body; throws the matching 400/413/415/422. */
async function readInput(
  c: Context,
  def: RouteDef,
  limits: { maxBytes: number; maxDepth: number },
) {
  // Params, query and headers first: a malformed id is a 400 whatever the body.
  const request = validateRequest(c, def);
  const text = await readBody(c, limits.maxBytes);
  return { ...request, ...validateBody(c, def, text, limits.maxDepth) };
}

/**
 * The body as text, refused with 413 past `maxBytes` (from Content-Length
 * before reading, or while reading). Reads the Node stream directly when
 * there is one: a web ReadableStream over it costs more than the job it carries.
 */
function readBody(c: Context, maxBytes: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined)
    return c.req.text().then((text) => {
      if (Buffer.byteLength(text) > maxBytes) throw new PayloadTooLargeError(maxBytes);
      return text;
    });
  const declared = Number(incoming.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new PayloadTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) done(new PayloadTooLargeError(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = (error: Error) => done(error);
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onError);
  });
}

/** Validates params, query and headers against a route definition; throws the matching 400/422. */
function validateRequest(c: Context, def: RouteDef) {
  const params = def.params
    ? parseOr(def.params, c.req.param(), 'params', (e) => new InvalidIdError(e))
    : undefined;
  const query = def.query
    ? parseOr(def.query, c.req.query(), 'query', (e) => new ValidationError(e))
    : undefined;
  const headers = def.headers
    ? parseOr(
        def.headers,
        Object.fromEntries(Object.keys(def.headers.shape).map((k) => [k, requestHeader(c, k)])),
        'headers',
        (e) => new ValidationError(e),
      )
    : undefined;
  return { params, query, headers };
}

/** Validates a body against a route definition; throws the matching 400/415/422. */
function validateBody(c: Context, def: RouteDef, text: string, maxDepth: number) {
  let body: unknown;
  let rawBody: unknown;
  if (def.body) {
    if (text.trim() === '') {
      if (def.bodyRequired)
        throw new ValidationError(
          [{ path: '', message: 'a JSON body is required' }],
          'a JSON body is required',
        );
    } else {
      const contentType = requestHeader(c, 'content-type');
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
  return { body, rawBody };
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
