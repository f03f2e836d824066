/**
 * Path traversal, for every path-like input: file source and sink paths
 * (directly, through operatorPropertiesJson, in any step), and every path
 * parameter of the route table.
 */
import type { JobDefinitionInput, ProblemDetails } from '@flinknet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, removeDir, type TestApp } from '../testing/fixtures';
import { ALL_ROUTES, fillPath } from '../testing/routeRequests';
import { unsafePathReason } from './filePaths';

const TRAVERSALS = [
  '../escape',
  'out/../../escape',
  'out/..',
  '..',
  '/etc/passwd',
  '//server/share',
  'C:/Windows/win.ini',
  'c:relative',
  '..\\escape',
  'out\\..\\..\\x',
  '%2e%2e/escape',
  '%2E%2E%2Fescape',
  'out%2f..%2f..%2fetc',
  '%252e%252e/escape',
  '..%c0%af',
  '~/.ssh/id_rsa',
  '~root/x',
  'out/\0.jsonl',
  'out/\n../x',
  './out',
  'out/./x',
  'out//x',
  '',
  '   ',
  '\uFF0E\uFF0E/escape', // full-width dots fold to ".." under NFKC
  '\uFF0Fetc/passwd', // full-width solidus folds to "/"
  `${'a/'.repeat(600)}x`,
];
const SAFE = [
  'out/clicks',
  'out/clicks.jsonl',
  'in',
  'a/b/c/',
  'data-2026_11.jsonl',
  'dir.with.dots/x',
];

function fileJob(source: unknown, sink: unknown): JobDefinitionInput {
  return {
    jobName: 'files',
    steps: [
      {
        name: 'in',
        operatorType: 'Source',
        typeName: 'file',
        operatorProperties: { path: source },
      },
      { name: 'out', operatorType: 'Sink', typeName: 'file', operatorProperties: { path: sink } },
    ],
  };
}

let t: TestApp;
beforeAll(() => {
  t = createTestApp();
});
afterAll(() => {
  t.dispose();
  removeDir(t.dataDir);
});

describe('file paths at submit', () => {
  it.each(TRAVERSALS)('refuses the sink path %j with 422 at its property path', async (bad) => {
    const res = await t.call('POST', '/api/jobmanager/submit', fileJob('in', bad));
    expect(res.status).toBe(422);
    const problem = (await res.json()) as ProblemDetails;
    expect(problem.errors).toEqual([
      { path: 'steps/1/operatorProperties/path', message: expect.stringMatching(/^path /) },
    ]);
  });

  it.each(TRAVERSALS)(
    'refuses the source path %j given through operatorPropertiesJson',
    async (bad) => {
      const definition = fileJob('in', 'out');
      const [source, sink] = definition.steps;
      const res = await t.call('POST', '/api/jobmanager/submit', {
        ...definition,
        steps: [
          {
            name: source!.name,
            operatorType: 'Source',
            typeName: 'file',
            operatorPropertiesJson: JSON.stringify({ path: bad }),
          },
          sink,
        ],
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as ProblemDetails).errors?.map((e) => e.path)).toEqual([
        'steps/0/operatorProperties/path',
      ]);
    },
  );

  it('refuses a missing or non-string path and reports every bad step', async () => {
    const res = await t.call('POST', '/api/jobmanager/submit', fileJob(['..'], undefined));
    expect(res.status).toBe(422);
    expect(((await res.json()) as ProblemDetails).errors?.map((e) => e.path)).toEqual([
      'steps/0/operatorProperties/path',
      'steps/1/operatorProperties/path',
    ]);
  });

  it('stores nothing for a refused job', () => {
    expect(t.store.listJobs({ limit: 10 }).items).toEqual([]);
  });

  it.each(SAFE)('accepts the plain relative path %j', (good) => {
    expect(unsafePathReason(good)).toBeUndefined();
  });

  it('accepts a job whose file paths stay inside the data dir', async () => {
    const res = await t.call(
      'POST',
      '/api/jobmanager/submit',
      fileJob('in/events.jsonl', 'out/counts'),
    );
    expect(res.status).toBe(201);
  });
});

describe('path parameters', () => {
  const HOSTILE_SEGMENTS = [
    '..',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    '%2Fetc%2Fpasswd',
    '~',
    '%00',
    'a%5c..%5cb',
  ];
  const cases = ALL_ROUTES.flatMap((def) =>
    [...def.path.matchAll(/\{(\w+)\}/g)].flatMap(([, param]) =>
      HOSTILE_SEGMENTS.map(
        (segment) => [def.method.toUpperCase(), def.path, param!, segment, def] as const,
      ),
    ),
  );

  it.each(cases)(
    '%s %s with %s = %j is refused, never served',
    async (method, _path, param, segment, def) => {
      const res = await t.fetch(fillPath(def, { [param]: segment }), {
        method,
        headers: { 'content-type': 'application/json' },
        body: def.body ? '{}' : undefined,
      });
      const text = await res.text();
      if (def.name === 'internal.poll' && res.status === 200) {
        // The TaskManager id is a lookup key, never a path: an unknown one is told to register.
        expect(res.status).toBe(200);
        expect(JSON.parse(text)).toEqual({ registered: false, commands: [] });
        return;
      }
      // 400 malformed id, 404 for free-form ids (token) that are unknown; ".." and "%2e%2e" are
      // resolved by URL parsing before routing, landing on another (404/405) route.
      expect([400, 404, 405]).toContain(res.status);
      expect(text).not.toMatch(/root:|\/etc\/passwd:|BEGIN .*PRIVATE KEY/);
    },
  );
});
