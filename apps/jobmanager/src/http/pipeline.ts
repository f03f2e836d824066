/**
 * @module
 * The pipeline of a route of the contracts' table: audit (mutating routes),
 * auth, timeout, input validation with the entry's schemas, then the
 * handler of the same name. Plain function calls rather than a middleware
 * chain, and a route that answers synchronously stays synchronous: on a
 * hot GET every promise and timer per request shows in the throughput.
 */
import { issuePath, type RouteDef, type ValidationIssueDto } from '@flinknet/contracts';
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
import type { Exchange } from './exchange';
import { toHttpError } from './problem';
import type { Answer } from './reply';

/** Runs once the route is known and auth passed, before the body is read; may throw an HttpError. */
export type RouteHook = (x: Exchange) => void | Promise<void>;

export interface PipelineOptions {
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
  /** Extra steps of every route (tests use them to slow a route down or to watch). */
  routeHooks?: readonly RouteHook[] | undefined;
}

export type RouteRunner = (x: Exchange) => Answer | Promise<Answer>;

/** The pipeline of route `def` ending in `handler`. */
export function routePipeline(
  def: RouteDef,
  handler: (x: Exchange, input: unknown) => Answer | Promise<Answer>,
  options: PipelineOptions,
): RouteRunner {
  const internal = def.tag === 'internal';
  const limits = {
    maxBytes: internal ? options.internalBodyLimitBytes : options.bodyLimitBytes,
    maxDepth: internal ? options.internalJsonDepthLimit : options.jsonDepthLimit,
  };
  const timeoutMs =
    internal || def.success.kind === 'sse' ? 0 : Math.max(0, options.requestTimeoutMs);
  const { authenticator, audit } = options;
  const hooks = options.routeHooks ?? [];

  const respond = (x: Exchange): Answer | Promise<Answer> =>
    def.body
      ? readInput(x, def, limits).then((input) => handler(x, input))
      : handler(x, validateRequest(x, def));

  const respondAfterHooks = async (x: Exchange): Promise<Answer> => {
    for (const hook of hooks) await hook(x);
    return respond(x);
  };

  const guarded = (x: Exchange): Answer | Promise<Answer> => {
    const refused = authenticator?.check(x, def.role);
    if (refused) return refused;
    const answer = hooks.length > 0 ? respondAfterHooks(x) : respond(x);
    return answer instanceof Promise && timeoutMs > 0 ? withTimeout(answer, timeoutMs) : answer;
  };

  if (!def.mutates || !audit) return guarded;
  // Refused and timed-out requests are audited too, with the status they were answered.
  return async (x) => {
    let answer: Answer | undefined;
    let status = 500;
    try {
      answer = await guarded(x);
      status = answer.status;
      return answer;
    } catch (error) {
      status = toHttpError(error).status;
      throw error;
    } finally {
      await audit.record(x, def, status, answer);
    }
  };
}

/** Reads and validates a request with a body; throws the matching 400/413/415/422. */
async function readInput(
  x: Exchange,
  def: RouteDef,
  limits: { maxBytes: number; maxDepth: number },
) {
  // Params, query and headers first: a malformed id is a 400 whatever the body.
  const input = validateRequest(x, def);
  const text = await readBody(x, limits.maxBytes);
  const { body, rawBody } = validateBody(x, def, text, limits.maxDepth);
  input.body = body;
  input.rawBody = rawBody;
  return input;
}

/** The body as text, refused with 413 past `maxBytes` (from Content-Length before reading, or while reading). */
function readBody(x: Exchange, maxBytes: number): Promise<string> {
  const incoming = x.incoming;
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

/** What a handler receives: params, query and headers validated; the body is read after. */
interface Input {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
  rawBody: unknown;
}

/** Validates params, query and headers against a route definition; throws the matching 400/422. */
function validateRequest(x: Exchange, def: RouteDef): Input {
  const params = def.params
    ? parseOr(def.params, x.params, 'params', (e) => new InvalidIdError(e))
    : undefined;
  const query = def.query
    ? parseOr(def.query, x.query(), 'query', (e) => new ValidationError(e))
    : undefined;
  const headers = def.headers
    ? parseOr(
        def.headers,
        Object.fromEntries(Object.keys(def.headers.shape).map((k) => [k, x.header(k)])),
        'headers',
        (e) => new ValidationError(e),
      )
    : undefined;
  return { params, query, headers, body: undefined, rawBody: undefined };
}

/** Validates a body against a route definition; throws the matching 400/415/422. */
function validateBody(x: Exchange, def: RouteDef, text: string, maxDepth: number) {
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
      const contentType = x.header('content-type');
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
