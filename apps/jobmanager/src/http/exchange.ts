/**
 * @module
 * One request as the pipeline and the handlers see it: its id, the matched
 * route and path params, the caller once authenticated, and the Node
 * request and response it travels on. The JobManager serves straight from
 * node:http: translating every request into a web `Request` and every
 * answer back from a `Response` cost more than a hot GET's own work.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteDef } from '@flinknet/contracts';
import type { Principal } from './types';

/** Headers whose repeats Node drops (`IncomingMessage.headers`); the others it joins. */
const SINGLE_VALUED = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** A caller's own X-Request-Id is kept when it is short and plain (it goes into logs and answers). */
const CALLER_REQUEST_ID = /^[\w\-=]{1,255}$/;

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** A request being answered. */
export class Exchange {
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly path: string;
  /** The query string with its `?`, or ''. */
  readonly search: string;
  /** The table route that matched; undefined for the docs, the OpenAPI document and unmatched paths. */
  route: RouteDef | undefined = undefined;
  /** The path pattern that matched (`/api/jobmanager/jobs/{jobId}`), as metrics label requests. */
  routePath: string | undefined = undefined;
  /** Path params of the matched route, decoded. */
  params: Readonly<Record<string, string>> = NO_PARAMS;
  /** The token that authenticated the request; unset for public routes and when auth is off. */
  principal: Principal | undefined = undefined;
  /** Set once an answer was written (a timed-out request may still be running). */
  answered = false;
  /** Set when the route appended its audit entry in its own write, with the status it named. */
  auditedStatus: number | undefined = undefined;
  #query: Record<string, string> | undefined;
  #abort: AbortController | undefined;

  /** A caller's own X-Request-Id when it is short and plain; otherwise a new one. */
  readonly requestId: string;

  constructor(
    readonly incoming: IncomingMessage,
    readonly outgoing: ServerResponse,
  ) {
    this.method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.search = q < 0 ? '' : url.slice(q);
    const given = this.header('x-request-id');
    this.requestId = given !== undefined && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
  }

  /**
   * Request header `name` (lower case), with Node's rules for repeats (the
   * first of single-valued headers, the others joined with ", "). Read from
   * the raw list: `incoming.headers` would first build an object of every
   * header, for the two or three a route reads.
   */
  header(name: string): string | undefined {
    const raw = this.incoming.rawHeaders;
    let found: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i]!;
      if (key.length !== name.length || key.toLowerCase() !== name) continue;
      if (found === undefined) found = raw[i + 1]!;
      else if (SINGLE_VALUED.has(name)) break;
      else found = `${found}, ${raw[i + 1]}`;
    }
    return found;
  }

  /** Query parameters, the first value of each. */
  query(): Record<string, string> {
    if (this.#query === undefined) {
      this.#query = {};
      for (const [key, value] of new URLSearchParams(this.search))
        if (!(key in this.#query)) this.#query[key] = value;
    }
    return this.#query;
  }

  /**
   * The peer address of the connection. Forwarded headers are not trusted:
   * anyone can set them.
   */
  get clientAddress(): string {
    return this.incoming.socket?.remoteAddress ?? 'unknown';
  }

  /** Aborted when the caller goes away before the answer is written (long-polls stop waiting). */
  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      const abort = new AbortController();
      this.#abort = abort;
      this.outgoing.once('close', () => {
        if (!this.outgoing.writableFinished)
          abort.abort(new Error('the client closed the connection'));
      });
    }
    return this.#abort.signal;
  }
}
