/**
 * @module
 * Sequential requests on one keep-alive connection, each timed with the
 * high-resolution clock: latency without queueing, at sub-millisecond
 * resolution (autocannon's histogram counts whole milliseconds).
 */
import { Agent, request } from 'node:http';
import { authHeaders, type Server } from './server';

/** Sends one GET on `agent` and resolves with the status once the body is read. */
function get(url: URL, agent: Agent, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'GET', headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** GETs `url` back to back for `seconds`; resolves with every latency in ms. Throws on a non-2xx answer. */
export async function sequentialLatencies(
  server: Server,
  path: string,
  seconds: number,
): Promise<number[]> {
  const url = `${server.url}${path}`;
  const headers = authHeaders(server);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  try {
    while (performance.now() < deadline) {
      const started = performance.now();
      const status = await get(target, agent, headers);
      if (status < 200 || status > 299) throw new Error(`GET ${url} answered ${status}`);
      latencies.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}
