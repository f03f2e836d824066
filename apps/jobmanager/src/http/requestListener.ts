/**
 * @module
 * The node:http request listener of the JobManager, the one layer around
 * every request: it gives the request an id, answers CORS preflights, finds
 * the route, runs it, turns whatever it throws into problem+json, writes
 * the answer and records it in the metrics and the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteDef } from '@flinknet/contracts';
import type { Logger } from 'pino';
import type { CorsPolicy } from '../hardening/httpHardening';
import type { AppMetrics } from '../metrics';
import { MethodNotAllowedError, NotFoundError } from './errors';
import { Exchange } from './exchange';
import { problemReply, toHttpError } from './problem';
import type { Answer, Reply } from './reply';
import type { RouteTree } from './router';
import { writeReply, writeStream } from './writeAnswer';

/** What the route tree holds for each method and path. */
export interface RouteEntry {
  /** The table entry; undefined for the docs page and the OpenAPI document. */
  def: RouteDef | undefined;
  /** The path pattern, as metrics label it. */
  path: string;
  run(x: Exchange): Answer | Promise<Answer>;
}

export interface RequestListenerOptions {
  routes: RouteTree<RouteEntry>;
  metrics: AppMetrics;
  logger: Logger;
  /** Off (undefined): no CORS header at all. */
  cors: CorsPolicy | undefined;
}

/** Serves requests: `listener` for the node:http server; `inFlight()` counts requests not yet answered (shutdown waits for them). */
export interface RequestListener {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  inFlight(): number;
}

/** The listener serving every route of `routes`. */
export function createRequestListener({
  routes,
  metrics,
  logger,
  cors,
}: RequestListenerOptions): RequestListener {
  let inFlight = 0;

  const route = (x: Exchange): Answer | Promise<Answer> => {
    if (cors && x.method === 'OPTIONS' && x.header('access-control-request-method') !== undefined) {
      const headers = cors.preflight(x.header('origin'));
      if (headers) return { status: 204, body: null, headers };
    }
    const match = routes.match(x.method, x.path);
    if (!match.found)
      throw match.allow.length > 0
        ? new MethodNotAllowedError(x.method, match.allow)
        : new NotFoundError(`no route ${x.method} ${x.path}`);
    x.route = match.value.def;
    x.routePath = match.value.path;
    x.params = match.params;
    return match.value.run(x);
  };

  const failed = (x: Exchange, error: unknown): Reply => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) logger.error({ err: error, reqId: x.requestId }, 'request failed');
    return problemReply(httpError, x.path, x.requestId);
  };

  const finish = (x: Exchange, answer: Answer, started: number): void => {
    x.answered = true;
    const corsHeaders = cors?.answer(x.header('origin'));
    if (answer.kind === 'stream')
      writeStream(x, answer, corsHeaders)
        .catch((error: unknown) => {
          logger.error({ err: error, reqId: x.requestId }, 'stream failed');
          x.outgoing.destroy();
        })
        .finally(() => {
          inFlight--;
        });
    else {
      try {
        writeReply(x, answer, corsHeaders);
      } catch (error) {
        // A header Node refuses (it would throw out of the server): the caller gets a closed connection.
        logger.error({ err: error, reqId: x.requestId }, 'answer could not be written');
        x.outgoing.destroy();
      }
      inFlight--;
    }
    const { method } = x;
    const { status } = answer;
    const seconds = (performance.now() - started) / 1000;
    const path = x.routePath ?? 'unmatched';
    metrics.http.record(method, path, status, seconds);
    // Answered reads are debug, as in Flink's REST handlers: dashboards, `watch` and
    // TaskManager heartbeats poll every second. Changes and failures stay at info.
    const level =
      status < 400 && (method === 'GET' || method === 'HEAD' || x.route?.tag === 'internal')
        ? 'debug'
        : 'info';
    if (logger.isLevelEnabled(level))
      logger[level](
        { reqId: x.requestId, method, path: x.path, status, ms: Math.round(seconds * 1000) },
        'request',
      );
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    const started = performance.now();
    const x = new Exchange(req, res);
    let answer: Answer | Promise<Answer>;
    try {
      answer = route(x);
    } catch (error) {
      answer = failed(x, error);
    }
    if (answer instanceof Promise)
      answer.then(
        (done) => finish(x, done, started),
        (error: unknown) => finish(x, failed(x, error), started),
      );
    else finish(x, answer, started);
  };
  return { listener, inFlight: () => inFlight };
}
