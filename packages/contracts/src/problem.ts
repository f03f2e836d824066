/**
 * @module
 * RFC 9457 problem details: the one error body of every route, and the codes
 * a caller can act on.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_REQUEST',
  'INVALID_ID',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'ILLEGAL_STATE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'IDEMPOTENCY_KEY_REUSED',
  'TOO_MANY_REQUESTS',
  'INTERNAL',
  'UNAVAILABLE',
  'TIMEOUT',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One field that failed validation: a JSON pointer-like path and a message. */
export const ValidationIssueDto = z.object({
  path: z.string().describe('e.g. "steps/0/operatorType" (body), "query/limit", "params/jobId"'),
  message: z.string(),
});
export type ValidationIssueDto = z.infer<typeof ValidationIssueDto>;

export const ProblemDetails = z
  .object({
    type: z.string().describe('URI naming the problem type'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: ErrorCode,
    requestId: z.string().optional(),
    errors: z.array(ValidationIssueDto).optional(),
    state: z.string().optional().describe('the job state, on 409'),
  })
  .loose();
export type ProblemDetails = z.infer<typeof ProblemDetails>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The `type` URI of a problem code. */
export function problemType(code: ErrorCode): string {
  return `https://flinknet.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

/** Formats zod issue paths the way problem bodies report them. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== '').join('/');
}
