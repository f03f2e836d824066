import { describe, expect, it } from 'vitest';
import { buildPath, ROUTES, route } from './routes';

describe('route table', () => {
  it('has unique names and unique method+path pairs', () => {
    expect(new Set(ROUTES.map((r) => r.name)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
  });

  it('contains every seed route of the Flink.NET JobManager at its exact path', () => {
    const seed = [
      'post /api/jobmanager/submit',
      'get /api/jobmanager/jobs',
      'get /api/jobmanager/jobs/{jobId}',
      'get /api/jobmanager/jobs/{jobId}/status',
      'get /api/jobmanager/jobs/{jobId}/metrics',
      'post /api/jobmanager/jobs/{jobId}/stop',
      'post /api/jobmanager/jobs/{jobId}/cancel',
      'post /api/jobmanager/jobs/{jobId}/restart',
      'put /api/jobmanager/jobs/{jobId}/scale',
      'get /api/jobmanager/jobs/{jobId}/checkpoints',
      'get /api/jobmanager/taskmanagers',
      'get /api/jobmanager/jobs/{jobId}/logs',
      'post /dlq/{jobId}/resubmit',
      'put /dlq/{jobId}/messages/{messageId}',
    ];
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    for (const entry of seed) expect(table).toContain(entry);
  });

  it('declares a params schema for every path placeholder', () => {
    for (const r of ROUTES) {
      const placeholders = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = 'params' in r && r.params ? Object.keys(r.params.shape) : [];
      expect(declared.sort(), r.name).toEqual(placeholders.sort());
    }
  });

  it('rejects a malformed job id in params', () => {
    expect(route('jobs.get').params.safeParse({ jobId: 'nope' }).success).toBe(false);
  });

  it('fills path placeholders with encoded values', () => {
    expect(buildPath('/dlq/{jobId}/messages/{messageId}', { jobId: 'a b', messageId: 'c/d' })).toBe(
      '/dlq/a%20b/messages/c%2Fd',
    );
    expect(() => buildPath('/x/{jobId}')).toThrow('missing path parameter jobId');
  });
});
