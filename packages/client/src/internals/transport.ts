/**
 * @module
 * The one place that talks HTTP: ky configured once per client, a deadline
 * over all attempts, retries only where repeating is safe, and every failure
 * turned into one of the SDK's error classes.
 */
import ky, { HTTPError, type KyInstance, type Options as KyOptions } from 'ky';
import { FlinkNetError } from '../errors/FlinkNetError';
import { NetworkError } from '../errors/NetworkError';
import { TimeoutError } from '../errors/TimeoutError';
import type { ClientOptions, RetryOptions } from '../types/options';
import { toProblem } from './toProblem';

export interface Transport {
  readonly http: KyInstance;
  readonly baseUrl: string;
  readonly timeoutMs: number | false;
  readonly retry: Required<RetryOptions>;
  readonly idempotencyKeys: 'auto' | 'off';
}

export interface SendInit {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Path starting with `/`, placeholders already filled. */
  readonly path: string;
  readonly query?: Readonly<Record<string, unknown>> | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | false | undefined;
  /** Whether a failed attempt may be repeated (GET, or POST with an Idempotency-Key). */
  readonly retryable: boolean;
}

const DEFAULT_RETRY: Required<RetryOptions> = {
  limit: 2,
  backoffLimitMs: 5000,
  statusCodes: [408, 429, 500, 502, 503, 504],
};

function normalizeBaseUrl(baseUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `createClient: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(String(baseUrl))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`createClient: baseUrl must use http or https, got ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function normalizeRetry(retry: ClientOptions['retry']): Required<RetryOptions> {
  const given = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const merged = { ...DEFAULT_RETRY, ...given };
  if (!Number.isInteger(merged.limit) || merged.limit < 0) {
    throw new TypeError(
      `createClient: retry limit must be a non-negative integer, got ${merged.limit}`,
    );
  }
  return merged;
}

/** Builds the transport of a client from its options (validated here, once). */
export function createTransport(options: ClientOptions): Transport {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createClient: options are required');
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (timeoutMs !== false && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError(
      `createClient: timeoutMs must be a positive number or false, got ${timeoutMs}`,
    );
  }
  const { token } = options;
  const http = ky.create({
    prefixUrl: baseUrl,
    headers: options.headers,
    // The SDK's own deadline (below) covers every attempt; ky's would cover one.
    timeout: false,
    // ky always passes a Request, which is what ClientOptions.fetch promises.
    ...(options.fetch ? { fetch: options.fetch as KyOptions['fetch'] } : {}),
    hooks: {
      beforeRequest: [
        async (request) => {
          const value = typeof token === 'function' ? await token() : token;
          if (value) request.headers.set('authorization', `Bearer ${value}`);
        },
      ],
    },
  });
  return {
    http,
    baseUrl,
    timeoutMs,
    retry: normalizeRetry(options.retry),
    idempotencyKeys: options.idempotencyKeys ?? 'auto',
  };
}

// Errors of fetch and of reading a body; anything else (a bug, a bad JSON body) passes through.
function isTransportFailure(error: unknown): boolean {
  return (
    error instanceof HTTPError ||
    (error instanceof Error && (error.name === 'TypeError' || error.name === 'AbortError'))
  );
}

function cleanQuery(
  query: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> | undefined {
  if (!query) return undefined;
  const entries = Object.entries(query).filter(
    ([, value]) => value !== undefined && value !== null,
  );
  return entries.length
    ? Object.fromEntries(entries.map(([key, value]) => [key, String(value)]))
    : undefined;
}

/**
 * Sends one request and decodes the success response with `decode` (under the
 * same deadline and signal); failures become FlinkNet errors.
 */
export async function send<T = Response>(
  transport: Transport,
  init: SendInit,
  decode: (response: Response) => Promise<T> = async (response) => response as T,
): Promise<T> {
  const timeoutMs = init.timeoutMs ?? transport.timeoutMs;
  const deadline = timeoutMs === false ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [init.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const request = {
    method: init.method.toUpperCase(),
    url: new URL(init.path.slice(1), transport.baseUrl).href,
  };
  const { retry } = transport;
  try {
    const response = await transport.http(init.path.slice(1), {
      method: init.method,
      searchParams: cleanQuery(init.query),
      ...(init.body !== undefined ? { json: init.body } : {}),
      headers: init.headers,
      signal:
        signals.length === 0
          ? undefined
          : signals.length === 1
            ? signals[0]
            : AbortSignal.any(signals),
      retry: init.retryable
        ? {
            limit: retry.limit,
            methods: [init.method],
            statusCodes: retry.statusCodes,
            backoffLimit: retry.backoffLimitMs,
            jitter: true,
          }
        : { limit: 0 },
    });
    return await decode(response);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    if (deadline?.aborted)
      throw new TimeoutError(`${request.method} ${request.url}`, timeoutMs as number);
    if (!isTransportFailure(error)) throw error;
    if (error instanceof HTTPError) {
      const problem = await toProblem(error.response);
      throw new FlinkNetError(
        problem,
        request,
        error.response.headers.get('x-request-id') ?? undefined,
      );
    }
    throw new NetworkError(request, error);
  }
}
