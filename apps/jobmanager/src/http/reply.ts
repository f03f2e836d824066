/**
 * @module
 * What handlers answer: a status, a body and the headers of their own, as
 * plain data. The security headers, the request id and CORS are added in
 * one place when the answer is written (`writeAnswer.ts`), so no handler can
 * forget them.
 */

/** A complete answer. */
export interface Reply {
  readonly kind?: undefined;
  status: number;
  body: string | null;
  /** Lower-case names. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** Where a streamed answer writes. */
export interface ResponseStream {
  /** Writes `text`; resolves once the socket took it (waits while the client reads slowly). */
  write(text: string): Promise<void>;
  /** Called once when the client goes away or the server ends the answer. */
  onClose(listener: () => void): void;
  /** The server ends the stream: drops the connection when the client is not reading what was written. */
  stop(): void;
  readonly closed: boolean;
}

/** An answer written over time (server-sent events); it ends when `stream` settles. */
export interface StreamReply {
  readonly kind: 'stream';
  status: number;
  headers: Readonly<Record<string, string>>;
  stream(out: ResponseStream): Promise<void>;
}

export type Answer = Reply | StreamReply;

/** `data` as JSON. */
export function json(data: unknown, status = 200, headers?: Record<string, string>): Reply {
  return {
    status,
    body: JSON.stringify(data),
    headers: headers ? { 'content-type': 'application/json', ...headers } : JSON_HEADERS,
  };
}

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** `body` with `headers` (which name its content type). */
export function reply(
  body: string | null,
  status: number,
  headers?: Record<string, string>,
): Reply {
  return { status, body, headers };
}

/** 204 without a body. */
export function noContent(): Reply {
  return { status: 204, body: null };
}
