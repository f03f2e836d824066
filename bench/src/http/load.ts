/**
 * @module
 * One load round with autocannon: N keep-alive connections for a fixed time,
 * reporting successful responses per second and latency percentiles.
 */
import autocannon from 'autocannon';
import { cpuMs } from '../processes';
import { authHeaders, type Server } from './server';

export interface LoadOptions {
  server: Server;
  /** Path of every request, or a function giving the path of each one. */
  path: string | (() => string);
  connections: number;
  durationSec: number;
  method?: 'GET' | 'POST';
  /** JSON body sent with every request (POST). */
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export interface LoadResult {
  /** 2xx responses per second of the round. */
  okPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** CPU time of the serving process per 2xx response, in µs (undefined without a pid). */
  cpuUsPerOk?: number | undefined;
}

/** Runs one autocannon round; throws when no request succeeded (a wrong route must not pass as a slow one). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const path = options.path;
  const pid = options.server.pid;
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const result = await autocannon({
    url: options.server.url,
    connections: options.connections,
    duration: options.durationSec,
    method: options.method ?? 'GET',
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...authHeaders(options.server),
      ...options.headers,
    },
    requests: [
      {
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(typeof path === 'string'
          ? { path }
          : { setupRequest: (request) => ({ ...request, path: path() }) }),
      },
    ],
  });
  const ok = result['2xx'];
  if (ok === 0) {
    throw new Error(
      `no 2xx response from ${options.method ?? 'GET'} ${options.server.url}${typeof path === 'string' ? path : ''} (${result.non2xx} non-2xx, ${result.errors} errors)`,
    );
  }
  const cpuUsPerOk = pid === undefined ? undefined : ((cpuMs(pid) - cpuBefore) * 1000) / ok;
  return {
    cpuUsPerOk,
    okPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
