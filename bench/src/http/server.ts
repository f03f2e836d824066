/**
 * @module
 * Where a request goes: a base URL and, for the JobManager once auth is on,
 * the admin token it wrote to its data dir.
 */

export interface Server {
  readonly url: string;
  readonly token?: string | undefined;
}

/** The Authorization header for the server's token (none without one). */
export function authHeaders(server: Server): Record<string, string> {
  return server.token ? { authorization: `Bearer ${server.token}` } : {};
}
