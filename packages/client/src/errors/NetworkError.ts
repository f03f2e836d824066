/**
 * @module
 * No HTTP answer at all: connection refused, reset, DNS, TLS.
 */
import { FlinkNetClientError } from './FlinkNetClientError';

/** Thrown when the server could not be reached; the fetch error is on `cause`. */
export class NetworkError extends FlinkNetClientError {
  readonly request: { readonly method: string; readonly url: string };

  constructor(request: { method: string; url: string }, cause: unknown) {
    const reason =
      cause instanceof Error
        ? cause.cause instanceof Error
          ? cause.cause.message
          : cause.message
        : String(cause);
    super(`${request.method} ${request.url} failed: ${reason}`, { cause });
    this.request = request;
  }
}
