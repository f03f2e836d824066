import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Exchange } from './exchange';

function exchange(rawHeaders: string[], url = '/api/jobmanager/jobs?limit=5&limit=6&name=a%20b') {
  const incoming = new IncomingMessage(new Socket());
  incoming.method = 'GET';
  incoming.url = url;
  incoming.rawHeaders = rawHeaders;
  return { x: new Exchange(incoming, new ServerResponse(incoming)) };
}

describe('Exchange', () => {
  it("reads headers as Node's IncomingMessage.headers does, repeats included", () => {
    const raw = [
      'Authorization',
      'Bearer one',
      'AUTHORIZATION',
      'Bearer two',
      'Accept',
      'text/plain',
      'accept',
      'application/json',
      'Content-Type',
      'application/json',
      'X-Empty',
      '',
    ];
    const { x } = exchange(raw);
    expect(x.header('authorization')).toBe('Bearer one');
    expect(x.header('accept')).toBe('text/plain, application/json');
    expect(x.header('content-type')).toBe('application/json');
    expect(x.header('x-empty')).toBe('');
    expect(x.header('x-missing')).toBeUndefined();
  });

  it("keeps a caller's plain request id and makes one otherwise", () => {
    expect(exchange(['X-Request-Id', 'trace-42']).x.requestId).toBe('trace-42');
    expect(exchange(['X-Request-Id', 'no spaces please']).x.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(exchange([]).x.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('splits path and query, and reads the first value of each query parameter', () => {
    const { x } = exchange([]);
    expect(x.path).toBe('/api/jobmanager/jobs');
    expect(x.search).toBe('?limit=5&limit=6&name=a%20b');
    expect(x.query()).toEqual({ limit: '5', name: 'a b' });
  });
});
