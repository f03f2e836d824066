/**
 * @module
 * The node:http server of a JobManager: its request listener, limits for
 * slow clients, and problem+json answers to requests Node's HTTP parser
 * refuses before any route sees them (headers too large, malformed
 * framing), which Node would otherwise answer with a bare status line.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './errors';
import { problemReply } from './problem';
import { answerHeaders } from './writeAnswer';

/** A server answering with `listener`; not yet listening. */
export function createHttpServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const server = createServer(
    // Slow clients may not hold a connection open forever while sending headers or a body (slowloris).
    { headersTimeout: 15_000, requestTimeout: 120_000 },
    listener,
  );
  server.on('clientError', answerClientError);
  return server;
}

/** Parser errors, by Node's code: what the caller sent wrong. */
function clientErrorOf(code: string | undefined): HttpError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new HttpError(
      431,
      'BAD_REQUEST',
      'Request header fields too large',
      'the request headers exceed 16 KiB',
    );
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new HttpError(408, 'TIMEOUT', 'Request timeout', 'the request was not received in time');
  return new HttpError(400, 'BAD_REQUEST', 'Bad request', 'the request is not valid HTTP/1.1');
}

function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Node's own rule: no error answer into a response already on its way (an SSE stream).
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const { status, body, headers } = problemReply(clientErrorOf(error.code), undefined, requestId);
  const list = answerHeaders(requestId, headers, undefined);
  list.push('content-length', String(Buffer.byteLength(body ?? '')), 'connection', 'close');
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`;
  for (let i = 0; i < list.length; i += 2) head += `${list[i]}: ${list[i + 1]}\r\n`;
  // Then closed from this side too: a client that keeps its half open must not keep the connection.
  socket.write(`${head}\r\n${body ?? ''}`);
  socket.destroy();
}
