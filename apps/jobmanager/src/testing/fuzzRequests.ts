/**
 * @module
 * fast-check arbitraries of HTTP requests generated from the route table:
 * hostile path params, query strings, headers (auth, content types, huge
 * and duplicate ones) and bodies (arbitrary JSON, mutations of valid
 * bodies, deep nesting, oversized, not JSON at all).
 */
import type { RouteDef } from '@flinknet/contracts';
import fc from 'fast-check';
import { jobDefinition } from './fixtures';
import { ALL_ROUTES } from './routeRequests';

/** Strings that try to leave a directory or confuse a parser. */
export const HOSTILE_STRINGS = [
  '..',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f',
  '%252e%252e',
  '/etc/passwd',
  'C:\\Windows',
  '..\\..\\x',
  '~',
  '%00',
  '\u0000',
  '\uFF0E\uFF0E',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style string is the point
  '${jndi:ldap://x}',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '-1',
  '0',
  '1e309',
  'NaN',
  '9'.repeat(400),
  'x'.repeat(5000),
];

/** A body that passes validation for each route that takes one. */
export function validBody(def: RouteDef): unknown {
  switch (def.name) {
    case 'jobs.submit':
      return jobDefinition();
    case 'jobs.scale':
      return { desiredParallelism: 2 };
    case 'jobs.restart':
      return { checkpointId: 1 };
    case 'jobs.stop':
      return { drain: true };
    case 'dlq.update':
      return { newPayload: 'eyJ4IjoxfQ==' };
    case 'dlq.resubmit':
      return { messageIds: ['00000000-0000-4000-8000-000000000002'] };
    case 'tokens.create':
      return { name: 'fuzz', role: 'viewer' };
    case 'internal.register':
      // No operators: a registered fuzz TaskManager never gets a job, so nothing runs in the background.
      return { taskManagerId: 'tm-fuzz', address: 'x', slots: 1, version: 'fuzz', operators: [] };
    case 'internal.heartbeat':
      return { taskManagerId: 'tm-fuzz' };
    default:
      return {};
  }
}

const headerText = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })), {
      maxLength,
    })
    .map((codes) => String.fromCharCode(...codes));

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

/** Applies one random edit to a copy of `value`: replace, delete or add a field somewhere in it. */
function mutate(
  value: unknown,
  pick: number,
  op: 'set' | 'delete' | 'add',
  replacement: unknown,
  key: string,
): unknown {
  const copy = structuredClone(value);
  const containers: Array<Record<string, unknown> | unknown[]> = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(copy);
  if (containers.length === 0) return replacement;
  const target = containers[pick % containers.length]!;
  const keys = Object.keys(target);
  const existing = keys[pick % Math.max(keys.length, 1)];
  if (op === 'add' || existing === undefined)
    (target as Record<string, unknown>)[key] = replacement;
  else if (op === 'delete') delete (target as Record<string, unknown>)[existing];
  else (target as Record<string, unknown>)[existing] = replacement;
  return copy;
}

// Built once: just over the default 1 MiB body limit.
const OVERSIZED = `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`;

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A body text for `def`: valid, mutated, arbitrary JSON, not JSON, deeply nested or oversized. */
function bodyFor(def: RouteDef): fc.Arbitrary<string | undefined> {
  const valid = validBody(def);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.nat(),
          fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>,
          fc.jsonValue({ maxDepth: 3 }),
          fc.string({ maxLength: 12 }),
        )
        .map(([pick, op, rep, key]) => JSON.stringify(mutate(valid, pick, op, rep, key))),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, '', 'null', '{', '{"a":1}}', '\uFEFF{}', '[]'),
    },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 5000 }).map(nested) },
    { weight: 1, arbitrary: fc.constant(OVERSIZED) },
  );
}

function paramValue(sample: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(sample).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
        .map(encodeURIComponent),
    },
    { weight: 1, arbitrary: fc.uuid().map(String) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.integer(), fc.double()).map((n) => encodeURIComponent(String(n))),
    },
  );
}

function queryFor(def: RouteDef): fc.Arbitrary<string> {
  const known = def.query ? Object.keys(def.query.shape) : [];
  const key =
    known.length > 0
      ? fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 10 }))
      : fc.string({ maxLength: 10 });
  const value = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.integer().map(String),
  );
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 4 }).map((entries) => {
    const search = new URLSearchParams();
    for (const [k, v] of entries) search.append(k, v);
    // A long-poll of an unknown TaskManager answers at once; of a known one it would wait: keep it short.
    if (def.name === 'internal.poll') search.set('waitMs', '0');
    const text = search.toString();
    return text === '' ? '' : `?${text}`;
  });
  return fc.oneof(
    { weight: 4, arbitrary: pairs },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '?&&', '?limit', '?cursor=%ZZ', '?limit=1&limit=2'),
    },
  );
}

/** Credentials a fuzzed request carries (mostly the admin token, to reach validation). */
export interface FuzzTokens {
  admin: string;
  viewer: string;
  taskmanager: string;
}

function authorization(tokens: FuzzTokens): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${tokens.admin}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `Bearer ${tokens.viewer}`,
        `Bearer ${tokens.taskmanager}`,
        undefined,
        'Bearer',
        'Basic YTpi',
        `bearer  ${tokens.admin}`,
      ),
    },
    { weight: 1, arbitrary: headerText(80).map((t) => `Bearer ${t}`) },
  );
}

export interface FuzzRequest {
  route: RouteDef;
  path: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | undefined;
}

/** One request to one route of the table, every part fuzzed. */
export function fuzzRequest(
  tokens: FuzzTokens,
  samples: Record<string, string>,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ALL_ROUTES.map((route) => routeRequest(route, tokens, samples)));
}

function routeRequest(
  route: RouteDef,
  tokens: FuzzTokens,
  samples: Record<string, string>,
): fc.Arbitrary<FuzzRequest> {
  {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const params = fc.tuple(...names.map((n) => paramValue(samples[n] ?? 'x')));
    const contentType = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constant([['content-type', 'application/json']] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: fc.constant([
          ['content-type', 'application/json'],
          ['content-type', 'text/plain'],
        ] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=utf-16',
            'application/merge-patch+json',
            '',
          )
          .map((v) => [['content-type', v]] as Array<[string, string]>),
      },
    );
    const extraHeaders = fc.array(fc.tuple(headerName, headerText(60)), { maxLength: 3 });
    const special = fc.oneof(
      { weight: 6, arbitrary: fc.constant([] as Array<[string, string]>) },
      {
        weight: 1,
        arbitrary: headerText(200).map((v) => [['idempotency-key', v]] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: headerText(40).map((v) => [['last-event-id', v]] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 8_000, max: 40_000 })
          .map((n) => [['x-huge', 'h'.repeat(n)]] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: fc.constant([
          ['content-length', '99999999'],
          ['transfer-encoding', 'chunked'],
        ] as Array<[string, string]>),
      },
    );
    const method = fc.oneof(
      { weight: 12, arbitrary: fc.constant(route.method.toUpperCase()) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      },
    );
    return fc
      .record({
        params,
        query: queryFor(route),
        auth: authorization(tokens),
        contentType,
        extraHeaders,
        special,
        body: bodyFor(route),
        method,
      })
      .map(
        ({
          params: values,
          query,
          auth,
          contentType: ct,
          extraHeaders: extra,
          special: sp,
          body,
          method: m,
        }) => {
          let i = 0;
          const path = route.path.replace(/\{(\w+)\}/g, () => values[i++]!) + query;
          const headers: Array<[string, string]> = [...ct, ...extra, ...sp];
          if (auth !== undefined) headers.push(['authorization', auth]);
          return {
            route,
            path,
            method: m,
            headers,
            body: m === 'GET' || m === 'HEAD' ? undefined : body,
          };
        },
      );
  }
}
