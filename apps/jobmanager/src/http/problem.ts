/**
 * @module
 * Maps every error to an `application/problem+json` answer: HttpErrors as
 * they are, store errors by kind, anything else as a 500 without a stack.
 */
import { type ErrorCode, PROBLEM_CONTENT_TYPE, problemType } from '@flinknet/contracts';
import {
  CheckpointStateError,
  IllegalTransitionError,
  InvalidCursorError,
  InvalidInputError,
  NotFoundError as StoreNotFoundError,
} from '@flinknet/store';
import {
  BadRequestError,
  ConflictError,
  HttpError,
  IllegalStateError,
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
} from './errors';
import { type Reply, reply } from './reply';

/** Converts any thrown value into the HttpError the client sees. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof IllegalTransitionError) {
    return new IllegalStateError(error.state, error.message);
  }
  if (error instanceof StoreNotFoundError) return new NotFoundError(error.message);
  if (error instanceof InvalidCursorError)
    return new BadRequestError('invalid cursor: pass the cursor of a Link header');
  if (error instanceof InvalidInputError) return new BadRequestError(error.message);
  if (error instanceof CheckpointStateError) return new ConflictError(error.message);
  return new HttpError(
    500,
    'INTERNAL',
    'Internal server error',
    'an unexpected error occurred; see the server log',
  );
}

/** The problem body of an error (what every error response carries). */
function problemBody(
  error: HttpError,
  instance: string | undefined,
  requestId: string | undefined,
) {
  return {
    type: problemType(error.code as ErrorCode),
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance !== undefined ? { instance } : {}),
    code: error.code,
    ...(requestId ? { requestId } : {}),
    ...error.extra,
  };
}

/** `error` as a problem+json answer to the request at `path` (undefined when the request could not be read). */
export function problemReply(
  error: HttpError,
  path: string | undefined,
  requestId: string | undefined,
): Reply {
  const body = problemBody(error, path, requestId);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
  if (error instanceof UnauthorizedError) headers['www-authenticate'] = error.challenge;
  return reply(JSON.stringify(body), error.status, headers);
}
