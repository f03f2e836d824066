/**
 * @module
 * Writes answers to the socket. Every answer gets the security headers, the
 * request id and (for allowed origins) the CORS headers here, whoever built
 * it. Headers go to `writeHead` as one flat list, the cheapest form Node
 * takes.
 */
import { SECURITY_HEADERS } from '../hardening/httpHardening';
import type { Exchange } from './exchange';
import type { Reply, ResponseStream, StreamReply } from './reply';

const SECURITY_LIST: readonly string[] = Object.entries(SECURITY_HEADERS).flat();
/** Where the value of each security header sits in the list, so an answer can replace it (the docs page's CSP). */
const SECURITY_VALUE_AT = new Map(
  Object.keys(SECURITY_HEADERS).map((name, i) => [name, 2 * i + 1]),
);

/** Every header of an answer, as one flat list: the security headers, the request id, the answer's own, CORS. */
export function answerHeaders(
  requestId: string,
  own: Readonly<Record<string, string>> | undefined,
  cors: Readonly<Record<string, string>> | undefined,
): string[] {
  const list = SECURITY_LIST.slice();
  list.push('x-request-id', requestId);
  for (const headers of [own, cors]) {
    if (headers === undefined) continue;
    for (const name in headers) {
      const at = SECURITY_VALUE_AT.get(name);
      if (at === undefined) list.push(name, headers[name]!);
      else list[at] = headers[name]!;
    }
  }
  return list;
}

/** Writes a complete answer, with its length (Node would otherwise frame it in chunks, a second write). */
export function writeReply(
  x: Exchange,
  answer: Reply,
  cors: Readonly<Record<string, string>> | undefined,
): void {
  const list = answerHeaders(x.requestId, answer.headers, cors);
  const { body, status } = answer;
  if (body === null) {
    x.outgoing.writeHead(status, list);
    x.outgoing.end();
    return;
  }
  list.push('content-length', String(Buffer.byteLength(body)));
  x.outgoing.writeHead(status, list);
  x.outgoing.end(body);
}

/**
 * Writes the head of a streamed answer, runs its stream, then ends it
 * (HEAD: the head only). Resolves when it ended.
 */
export async function writeStream(
  x: Exchange,
  answer: StreamReply,
  cors: Readonly<Record<string, string>> | undefined,
): Promise<void> {
  const res = x.outgoing;
  res.writeHead(answer.status, answerHeaders(x.requestId, answer.headers, cors));
  if (x.method === 'HEAD') {
    res.end();
    return;
  }
  res.flushHeaders();
  const closeListeners: Array<() => void> = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  res.once('close', close);
  // One wait for the client to catch up, however many writes queue behind it.
  let drained: Promise<void> | undefined;
  const out: ResponseStream = {
    write(text) {
      if (closed || res.write(text)) return drained ?? Promise.resolve();
      drained ??= new Promise<void>((resolve) => {
        const settle = () => {
          res.off('drain', settle);
          res.off('close', settle);
          drained = undefined;
          resolve();
        };
        res.once('drain', settle);
        res.once('close', settle);
      });
      return drained;
    },
    onClose: (listener) => {
      if (closed) listener();
      else closeListeners.push(listener);
    },
    stop() {
      // A client that stopped reading would hold the stream (and a server shutdown) forever.
      if (drained !== undefined) res.destroy();
    },
    get closed() {
      return closed;
    },
  };
  try {
    await answer.stream(out);
  } finally {
    close();
    res.off('close', close);
    res.end();
  }
}
