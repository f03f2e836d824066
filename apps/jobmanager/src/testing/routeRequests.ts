/**
 * @module
 * Builds a well-formed request for any entry of the route table (ids of the
 * right shape, an empty JSON body where one is required, no long-poll wait),
 * so tests can walk every route generated from `ROUTES`.
 */
import { ROUTES, type RouteDef } from '@flinknet/contracts';

/** A placeholder value of the right shape for each path parameter. */
const SAMPLE_PARAMS: Record<string, string> = {
  jobId: '00000000-0000-4000-8000-000000000001',
  messageId: '00000000-0000-4000-8000-000000000002',
  checkpointId: '1',
  tokenId: 'tok_unknown',
  taskManagerId: 'tm-unknown',
};

/** Fills `{param}` placeholders from `params` (default: well-formed samples). */
export function fillPath(def: RouteDef, params: Record<string, string> = {}): string {
  return def.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key] ?? SAMPLE_PARAMS[key];
    if (value === undefined) throw new Error(`no sample for path parameter ${key}`);
    return value;
  });
}

/** Path (with a query that keeps long-polls short) and init of a well-formed request to `def`. */
export function sampleRequest(def: RouteDef): { path: string; init: RequestInit } {
  const query = def.name === 'internal.poll' ? '?waitMs=0' : '';
  const init: RequestInit = { method: def.method.toUpperCase() };
  if (def.body) {
    init.headers = { 'content-type': 'application/json' };
    init.body = '{}';
  }
  return { path: fillPath(def) + query, init };
}

/** Every route of the table, typed as plain definitions. */
export const ALL_ROUTES = ROUTES as readonly RouteDef[];
