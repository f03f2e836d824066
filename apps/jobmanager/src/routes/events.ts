/**
 * @module
 * Server-sent events of a job: status, checkpoint, failure and log events.
 * A client resumes with Last-Event-ID; idle streams get a comment line every
 * `sseHeartbeatMs` so proxies keep them open. The stream ends after a
 * terminal status, since a terminal job never changes again.
 */
import { isTerminal, type JobEventDto } from '@flinknet/contracts';
import { BadRequestError } from '../http/errors';
import { requireJob } from '../http/requireJob';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';

const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  // Proxies (nginx) would otherwise hold events back in their buffer.
  'x-accel-buffering': 'no',
});

/** Handler of the job events route. */
export function eventRoutes({
  store,
  bus,
  settings,
  streams,
}: RouteDeps): Pick<RouteHandlers, 'jobs.events'> {
  return {
    'jobs.events': (x, { params }) => {
      const job = requireJob(store, params.jobId);
      const lastEventIdText = x.header('last-event-id');
      const lastEventId = lastEventIdText === undefined ? 0 : Number(lastEventIdText);
      if (!Number.isInteger(lastEventId) || lastEventId < 0) {
        throw new BadRequestError(`Last-Event-ID must be an event id, got "${lastEventIdText}"`);
      }
      return {
        kind: 'stream' as const,
        status: 200,
        headers: SSE_HEADERS,
        stream: async (stream) => {
          const queue: JobEventDto[] = [];
          let wake: (() => void) | undefined;
          let ended = false;
          const end = () => {
            ended = true;
            wake?.();
          };
          const unsubscribe = bus.subscribe(job.jobId, (event) => {
            queue.push(event);
            wake?.();
          });
          // On shutdown, a client that stopped reading must not hold the stream open.
          const shutdown = () => {
            end();
            stream.stop();
          };
          streams.add(shutdown);
          stream.onClose(end);
          const heartbeat = setInterval(() => {
            void stream.write(': keep-alive\n\n');
          }, settings.sseHeartbeatMs);
          try {
            let sentUpTo = lastEventId;
            const send = async (event: JobEventDto) => {
              if (event.id <= sentUpTo) return;
              sentUpTo = event.id;
              await stream.write(
                `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
              );
              if (event.type === 'status' && event.status !== undefined && isTerminal(event.status))
                ended = true;
            };
            for (const event of bus.replay(job.jobId, lastEventId)) await send(event);
            if (isTerminal(store.getJob(job.jobId)?.status ?? job.status) && queue.length === 0)
              ended = true;
            while (!ended) {
              const event = queue.shift();
              if (event) {
                await send(event);
                continue;
              }
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
              wake = undefined;
            }
          } finally {
            clearInterval(heartbeat);
            unsubscribe();
            streams.delete(shutdown);
          }
        },
      };
    },
  };
}
