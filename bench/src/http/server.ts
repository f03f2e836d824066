/**
 * @module
 * Where a request goes: a base URL, for the JobManager once auth is on the
 * admin token it wrote to its data dir, and the process that serves it.
 */

export interface Server {
  readonly url: string;
  readonly token?: string | undefined;
  /** The serving process, when CPU per request is to be measured. */
  readonly pid?: number | undefined;
}

/** The Authorization header for the server's token (none without one). */
export function authHeaders(server: Server): Record<string, string> {
  return server.token ? { authorization: `Bearer ${server.token}` } : {};
}
