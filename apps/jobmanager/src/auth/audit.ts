/**
 * @module
 * The audit log: every request to a mutating route (`mutates: true` in the
 * route table) is recorded with its token id, role, route, job and the
 * status it was answered with, including requests that were refused.
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
    const principal = x.principal;
    const entry = {
      tokenId: principal?.tokenId ?? null,
      role: principal?.role ?? null,
      method: def.method.toUpperCase(),
      route: def.path,
      jobId: jobIdOf(x, answer),
      status,
      requestId: x.requestId,
    };
    try {
      await this.#store.batchWrite(() => this.#store.appendAudit(entry));
    } catch (error) {
      // The answer is already decided; a failed audit write must not turn it into a 500.
      this.#logger.error({ err: error, reqId: x.requestId }, 'audit write failed');
    }
  }
}

/** The job a request acted on: its `jobId` param, or the job a submit created (from `Location`). */
function jobIdOf(x: Exchange, answer: Answer | undefined): string | null {
  const candidate = x.params.jobId ?? /\/jobs\/([^/]+)$/.exec(answer?.headers?.location ?? '')?.[1];
  // Only well-formed ids are recorded: a param can be any string a caller typed.
  return candidate !== undefined && JobId.safeParse(candidate).success ? candidate : null;
}
