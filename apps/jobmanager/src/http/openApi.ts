/**
 * @module
 * The OpenAPI 3.1 document, generated from the contracts' route table (the
 * same entries the server routes and validates with), so it cannot drift
 * from the code.
 */

import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ROUTES, type RouteDef } from '@flinknet/contracts';

const CONTENT_TYPES = {
  json: 'application/json',
  sse: 'text/event-stream',
  text: 'text/plain',
  html: 'text/html',
} as const;

/** The document of every route of the table. */
export function openApiDocument(info: { title: string; version: string }): object {
  const registry = new OpenAPIRegistry();
  for (const def of ROUTES as readonly RouteDef[]) registry.registerPath(openApiOperation(def));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info });
}

function openApiOperation(def: RouteDef): RouteConfig {
  const problem = {
    description: 'Problem details (RFC 9457)',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetails } },
  };
  const { kind, schema, status } = def.success;
  const success =
    kind === 'none'
      ? { description: def.summary }
      : {
          description: def.summary,
          content: { [CONTENT_TYPES[kind]]: { schema: schema ?? ({ type: 'string' } as never) } },
        };
  return {
    method: def.method,
    path: def.path,
    operationId: def.name,
    summary: def.summary,
    tags: [def.tag],
    'x-role': def.role,
    request: {
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { query: def.query } : {}),
      ...(def.headers ? { headers: def.headers } : {}),
      ...(def.body
        ? {
            body: {
              required: def.bodyRequired ?? false,
              content: { 'application/json': { schema: def.body } },
            },
          }
        : {}),
    },
    responses: { [status]: success, default: problem },
  } as RouteConfig;
}
