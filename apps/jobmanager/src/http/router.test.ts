import { ROUTES } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import { RouteTree } from './router';

const tree = new RouteTree<string>();
for (const r of ROUTES) tree.add(r.method, r.path, r.name);

describe('RouteTree', () => {
  it('matches every route of the table with its params', () => {
    for (const r of ROUTES) {
      const path = r.path.replace(/\{(\w+)\}/g, (_, name: string) => `v-${name}`);
      const match = tree.match(r.method.toUpperCase(), path);
      expect(match, `${r.method} ${r.path}`).toMatchObject({ found: true, value: r.name });
      const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      if (match.found)
        expect(match.params).toEqual(Object.fromEntries(names.map((n) => [n, `v-${n}`])));
    }
  });

  it('prefers a literal segment and falls back to a param', () => {
    const t = new RouteTree<string>();
    t.add('GET', '/jobs/{jobId}', 'one');
    t.add('GET', '/jobs/overview', 'overview');
    t.add('GET', '/jobs/{jobId}/status', 'status');
    expect(t.match('GET', '/jobs/overview')).toMatchObject({ value: 'overview' });
    expect(t.match('GET', '/jobs/abc')).toMatchObject({ value: 'one', params: { jobId: 'abc' } });
    expect(t.match('GET', '/jobs/overview/status')).toMatchObject({
      value: 'status',
      params: { jobId: 'overview' },
    });
  });

  it('answers HEAD with GET and lists the methods of a known path', () => {
    expect(tree.match('HEAD', '/healthz')).toMatchObject({ found: true, value: 'system.health' });
    expect(tree.match('DELETE', '/healthz')).toEqual({ found: false, allow: ['GET', 'HEAD'] });
    expect(tree.match('GET', '/api/jobmanager/submit')).toEqual({ found: false, allow: ['POST'] });
  });

  it('knows nothing of unknown paths, trailing slashes, empty segments or relative paths', () => {
    for (const path of ['/nope', '/healthz/', '/api/jobmanager/jobs//status', 'healthz', ''])
      expect(tree.match('GET', path), path).toEqual({ found: false, allow: [] });
  });

  it('decodes params, keeping a malformed escape as sent', () => {
    expect(tree.match('GET', '/api/jobmanager/jobs/a%2Fb/status')).toMatchObject({
      params: { jobId: 'a/b' },
    });
    expect(tree.match('GET', '/api/jobmanager/jobs/%E0%A4%A/status')).toMatchObject({
      params: { jobId: '%E0%A4%A' },
    });
  });

  it('refuses two routes for one method and path, and two param names at one level', () => {
    const t = new RouteTree<string>();
    t.add('GET', '/a/{id}', 'x');
    expect(() => t.add('get', '/a/{id}', 'y')).toThrow(/two routes for GET/);
    expect(() => t.add('POST', '/a/{other}', 'z')).toThrow(/\{other\}/);
  });
});
