/**
 * @module
 * A job's server-sent events as an async iterable over fetch streaming (so
 * it runs in browsers too), resuming with `Last-Event-ID` after a dropped
 * connection the way a browser EventSource would.
 */
import { buildPath, isTerminal, type JobEventDto, route } from '@flinknet/contracts';
import { createParser } from 'eventsource-parser';
import { isFlinkNetError } from './errors/FlinkNetError';
import { NetworkError } from './errors/NetworkError';
import { sleep } from './internals/sleep';
import { send, type Transport } from './internals/transport';

export interface EventsOptions {
  /** Ends the stream; the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Resume after this event id (events up to it are not sent again). */
  lastEventId?: string | number;
  /** Stop after a status event with a terminal state (FINISHED, CANCELED, FAILED). Default true. */
  untilTerminal?: boolean;
  /** Wait before reconnecting, in ms, unless the server sent `retry:`. Default 1000. */
  reconnectDelayMs?: number;
  /** Connections in a row that may fail (or end without an event) before the iteration throws. Default 10. */
  maxReconnects?: number;
  /** Extra headers for each connection. */
  headers?: Record<string, string>;
}

const EVENTS = route('jobs.events');

function reconnectable(error: unknown): boolean {
  return error instanceof NetworkError || (isFlinkNetError(error) && error.status >= 500);
}

/** Yields the events of one job, reconnecting with Last-Event-ID until the job ends or the signal aborts. */
export async function* streamJobEvents(
  transport: Transport,
  jobId: string,
  options: EventsOptions = {},
): AsyncGenerator<JobEventDto, void, undefined> {
  if (typeof jobId !== 'string' || jobId === '')
    throw new TypeError(
      `jobs.events: jobId must be a non-empty string, got ${JSON.stringify(jobId)}`,
    );
  const { signal, untilTerminal = true, maxReconnects = 10 } = options;
  let lastEventId = options.lastEventId === undefined ? undefined : String(options.lastEventId);
  let delayMs = options.reconnectDelayMs ?? 1000;
  let failures = 0;
  const path = buildPath(EVENTS.path, { jobId });
  for (;;) {
    let lastError: unknown;
    let sawEvent = false;
    try {
      const response = await send(transport, {
        method: 'get',
        path,
        headers: {
          ...options.headers,
          accept: 'text/event-stream',
          ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
        },
        signal,
        timeoutMs: false,
        retryable: false,
      });
      const queue: JobEventDto[] = [];
      const parser = createParser({
        onEvent(message) {
          if (message.id !== undefined) lastEventId = message.id;
          try {
            const data: unknown = JSON.parse(message.data);
            if (typeof data === 'object' && data !== null) queue.push(data as JobEventDto);
          } catch {
            // Not JSON (a keep-alive or a foreign event): nothing for the caller.
          }
        },
        onRetry(ms) {
          delayMs = ms;
        },
      });
      if (!response.body)
        throw new NetworkError(
          { method: 'GET', url: response.url },
          new Error('response has no body'),
        );
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read().catch((error: unknown) => {
            if (signal?.aborted) throw signal.reason;
            throw new NetworkError({ method: 'GET', url: response.url }, error);
          });
          if (done) break;
          parser.feed(value);
          for (let event = queue.shift(); event !== undefined; event = queue.shift()) {
            sawEvent = true;
            failures = 0;
            yield event;
            if (
              untilTerminal &&
              event.type === 'status' &&
              event.status !== undefined &&
              isTerminal(event.status)
            )
              return;
          }
        }
      } finally {
        // Runs on break/return too: closes the connection.
        reader.cancel().catch(() => {});
      }
      lastError = new NetworkError(
        { method: 'GET', url: response.url },
        new Error('event stream ended'),
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!reconnectable(error)) throw error;
      lastError = error;
    }
    if (!sawEvent) failures += 1;
    if (failures > maxReconnects) throw lastError;
    await sleep(delayMs, signal);
  }
}
