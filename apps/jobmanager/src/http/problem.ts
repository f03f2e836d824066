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
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  BadRequestError,
  ConflictError,
  HttpError,
  IllegalStateError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
} from './errors';
import { reply } from './reply';

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
  if (error instanceof HTTPException) {
    if (error.status === 413) return new PayloadTooLargeError(0);
    return new HttpError(
      error.status,
      error.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
      'Error',
      error.message,
    );
  }
  return new HttpError(
    500,
    'INTERNAL',
    'Internal server error',
    'an unexpected error occurred; see the server log',
  );
}

/** The problem body of an error (what every error response carries). */
export function problemBody(error: HttpError, instance: string, requestId: string | undefined) {
  return {
    type: problemType(error.code as ErrorCode),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(requestId ? { requestId } : {}),
    ...error.extra,
  };
}

/** Sends `error` as problem+json on `c`. */
export function problemResponse(c: Context, error: HttpError): Response {
  const body = problemBody(
    error,
    new URL(c.req.url).pathname,
    c.get('requestId' as never) as string | undefined,
  );
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
  if (error instanceof UnauthorizedError) headers['www-authenticate'] = error.challenge;
  return reply(c, JSON.stringify(body), error.status, headers);
}
