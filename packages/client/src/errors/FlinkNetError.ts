/**
 * @module
 * The one error class of an API answer that is not a success: built from the
 * RFC 9457 problem+json body the server sends with every 4xx and 5xx.
 */
import type { ErrorCode, ProblemDetails, ValidationIssueDto } from '@flinknet/contracts';
import { FlinkNetClientError, isFlinkNetClientError } from './FlinkNetClientError';

/** What the SDK knows about the request that failed. */
export interface FailedRequest {
  readonly method: string;
  readonly url: string;
}

/** The server answered with an error status; fields come from its problem+json body. */
export class FlinkNetError extends FlinkNetClientError {
  /** HTTP status, e.g. 404. */
  readonly status: number;
  /** Machine-readable code, e.g. `NOT_FOUND`, `ILLEGAL_STATE`, `VALIDATION_FAILED`. */
  readonly code: ErrorCode;
  /** Short human summary from the problem body. */
  readonly title: string;
  /** Longer explanation, when the server gave one. */
  readonly detail: string | undefined;
  /** Fields that failed validation (422), otherwise empty. */
  readonly errors: readonly ValidationIssueDto[];
  /** The problem `type` URI. */
  readonly type: string;
  /** The job's state, on 409 answers. */
  readonly state: string | undefined;
  /** The server's request id, for its logs. */
  readonly requestId: string | undefined;
  readonly request: FailedRequest;
  /** The whole problem body as received. */
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails, request: FailedRequest, requestId?: string) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.type = problem.type;
    this.state = problem.state;
    this.requestId = problem.requestId ?? requestId;
    this.request = request;
    this.problem = problem;
  }
}

/** True when `error` is an API error answer (works across duplicate copies of the SDK). */
export function isFlinkNetError(error: unknown): error is FlinkNetError {
  return isFlinkNetClientError(error) && error.name === 'FlinkNetError' && 'status' in error;
}
