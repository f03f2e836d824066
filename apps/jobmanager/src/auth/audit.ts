/**
 * @module
 * The audit log: every request to a mutating route (`mutates: true` in the
 * route table) is recorded with its token id, role, route, job and the
 * status it was answered with, including requests that were refused.
 * A route may append its entry inside its own write (`appendWithin`), so
 * the change and its entry commit together; the pipeline records every
 * other request once it is answered.
 */
import { JobId, type RouteDef } from '@flinknet/contracts';
import type { JobRepository } from '@flinknet/store';
import type { Logger } from 'pino';
import type { Exchange } from '../http/exchange';
import type { Answer } from '../http/reply';

export interface AuditTrailOptions {
  store: JobRepository;
  logger: Logger;
}

/** Appends one audit entry per mutating request once it is answered. */
export class AuditTrail {
  readonly #store: JobRepository;
  readonly #logger: Logger;

  constructor({ store, logger }: AuditTrailOptions) {
    this.#store = store;
    this.#logger = logger;
  }

  /**
   * Records request `x` to `def`, answered with `status` (`answer`
   * when it was not an error). Resolves once the entry has committed (it
   * shares a group commit with concurrent requests); never rejects.
   */
  async record(
    x: Exchange,
    def: RouteDef,
    status: number,
    answer: Answer | undefined,
  ): Promise<void> {
    // Already appended within the request's own write, with the status it was answered.
    if (x.auditedStatus === status) return;
    const entry = auditEntry(x, def, status, jobIdOf(x, answer));
    try {
      await this.#store.batchWrite(() => this.#store.appendAudit(entry));
    } catch (error) {
      // The answer is already decided; a failed audit write must not turn it into a 500.
      this.#logger.error({ err: error, reqId: x.requestId }, 'audit write failed');
    }
  }

  /**
   * Appends the entry of request `x`, to be answered with `status`, inside
   * the caller's write (a `batchWrite` callback): it commits or rolls back
   * with the change. Should the request be answered otherwise after all
   * (the write failed), `record` still appends the status it got.
   */
  appendWithin(x: Exchange, status: number, jobId: string | null): void {
    if (x.route === undefined) throw new Error('appendWithin: the request has no route');
    this.#store.appendAudit(auditEntry(x, x.route, status, jobId));
    x.auditedStatus = status;
  }
}

function auditEntry(x: Exchange, def: RouteDef, status: number, jobId: string | null) {
  return {
    tokenId: x.principal?.tokenId ?? null,
    role: x.principal?.role ?? null,
    method: def.method.toUpperCase(),
    route: def.path,
    jobId,
    status,
    requestId: x.requestId,
  };
}

/** The job a request acted on: its `jobId` param, or the job a submit created (from `Location`). */
function jobIdOf(x: Exchange, answer: Answer | undefined): string | null {
  const candidate = x.params.jobId ?? /\/jobs\/([^/]+)$/.exec(answer?.headers?.location ?? '')?.[1];
  // Only well-formed ids are recorded: a param can be any string a caller typed.
  return candidate !== undefined && JobId.safeParse(candidate).success ? candidate : null;
}
