/**
 * @module
 * Options of `createClient` and of each call.
 */

/** How failed safe calls are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** Upper bound of the exponential backoff between attempts, in ms. Default 5000. */
  backoffLimitMs?: number;
  /** Statuses worth another attempt. Default 408, 429, 500, 502, 503, 504. */
  statusCodes?: number[];
}

export interface ClientOptions {
  /** Where the JobManager listens, e.g. `http://127.0.0.1:8081` (a path prefix is kept). */
  baseUrl: string | URL;
  /** API token sent as `Authorization: Bearer`; a function is asked before every request. */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Deadline of one call, all retries included, in ms. Default 30000; `false` for none. */
  timeoutMs?: number | false;
  /** Retries of safe calls (GET, and submit with an Idempotency-Key); a number is the limit. */
  retry?: number | RetryOptions;
  /** A fetch implementation, e.g. `(request) => app.request(request)` for an in-process server. */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** `'auto'` (default) gives every submit a generated Idempotency-Key, which also makes it retryable. */
  idempotencyKeys?: 'auto' | 'off';
}

export interface CallOptions {
  /** Aborts the call; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | false;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface SubmitOptions extends CallOptions {
  /** Sent as `Idempotency-Key`: the server answers a repeat with the first job instead of a second one. */
  idempotencyKey?: string;
}
