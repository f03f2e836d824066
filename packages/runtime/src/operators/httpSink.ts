/**
 * @module
 * Sink `http`: POSTs records as JSON arrays of up to `batchSize` (default
 * 100) to `url` with `headers`; a failed POST is retried with exponential
 * backoff (`retries`, default 3; `retryDelayMs`, default 200) and then its
 * records go to the DLQ. Batches are flushed on every checkpoint barrier and
 * at end of input, so delivery is at least once.
 */
import type { SinkDefinition } from '../api';
import { readProperties } from './properties';

export const httpSink: SinkDefinition = {
  operatorType: 'Sink',
  typeName: 'http',
  description:
    'POSTs JSON arrays of records: url, batchSize, headers, retries, retryDelayMs, timeoutMs',
  create(ctx) {
    const props = readProperties(ctx.stepName, ctx.properties);
    const url = props.string('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(
        `step "${ctx.stepName}": operatorProperties.url ${JSON.stringify(url)} is not a URL`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`step "${ctx.stepName}": operatorProperties.url must be http or https`);
    }
    const batchSize = props.optionalInteger('batchSize', 1, 100_000) ?? 100;
    const retries = props.optionalInteger('retries', 0, 20) ?? 3;
    const retryDelayMs = props.optionalInteger('retryDelayMs', 0, 60_000) ?? 200;
    const timeoutMs = props.optionalInteger('timeoutMs', 1, 600_000) ?? 10_000;
    const headers = {
      'content-type': 'application/json',
      ...(props.optionalRecordOfStrings('headers') ?? {}),
    };
    let buffer: unknown[] = [];

    const post = async (records: unknown[]): Promise<void> => {
      const body = JSON.stringify(records);
      let lastError: unknown;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await sleep(retryDelayMs * 2 ** (attempt - 1), ctx.signal);
        if (ctx.signal.aborted) throw new Error('canceled');
        try {
          const response = await fetch(parsed, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
          });
          await response.arrayBuffer().catch(() => undefined);
          if (response.ok) return;
          lastError = new Error(
            `POST ${parsed.origin}${parsed.pathname} answered ${response.status}`,
          );
          // A 4xx other than 408/429 will not get better by retrying.
          if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          lastError = error;
        }
      }
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      for (const record of records)
        ctx.rejectRecord(
          record,
          new Error(`HTTP sink gave up after ${retries + 1} attempts: ${reason}`),
        );
    };

    const flush = async () => {
      while (buffer.length > 0) {
        const batch = buffer.slice(0, batchSize);
        buffer = buffer.slice(batchSize);
        await post(batch);
      }
    };

    return {
      invoke(value) {
        buffer.push(value);
        if (buffer.length >= batchSize) return flush();
        return undefined;
      },
      async snapshotState() {
        await flush();
        return undefined;
      },
      async endOfInput() {
        await flush();
      },
    };
  },
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
