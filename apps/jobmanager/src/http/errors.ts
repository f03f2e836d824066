/**
 * @module
 * One class per failure a caller can act on. Handlers throw them; the single
 * request listener turns each into an RFC 9457 body (`problem.ts`).
 */
import type { ErrorCode, JobState, ValidationIssueDto } from '@flinknet/contracts';

/** Base of every error the API answers on purpose. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** 400: the request cannot be understood (malformed JSON, bad cursor). */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  constructor(detail: string) {
    super(400, 'BAD_REQUEST', 'Bad request', detail);
  }
}

/** 400: a path id that is not an id (a job id that is no UUID). */
export class InvalidIdError extends HttpError {
  override name = 'InvalidIdError';
  constructor(errors: ValidationIssueDto[]) {
    super(
      400,
      'INVALID_ID',
      'Malformed id',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      { errors },
    );
  }
}

/** 401: no token, or one that is unknown, malformed or expired; answered with `WWW-Authenticate`. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(
    detail: string,
    /** RFC 6750 error: absent when no token was sent. */
    readonly bearerError?: 'invalid_token',
  ) {
    super(401, 'UNAUTHORIZED', 'Unauthorized', detail);
  }

  /** The `WWW-Authenticate` challenge (never echoes the presented token). */
  get challenge(): string {
    return this.bearerError
      ? `Bearer realm="flinknet", error="${this.bearerError}"`
      : 'Bearer realm="flinknet"';
  }
}

/** 403: the token is valid but its role is below what the route needs. */
export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(role: string, needed: string) {
    super(
      403,
      'FORBIDDEN',
      'Forbidden',
      `this route needs the ${needed} role; the token has ${role}`,
      {
        role,
        neededRole: needed,
      },
    );
  }
}

/** 404: the job, checkpoint, message, token or path does not exist. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(detail: string) {
    super(404, 'NOT_FOUND', 'Not found', detail);
  }
}

/** 405: the path exists, the method does not. */
export class MethodNotAllowedError extends HttpError {
  override name = 'MethodNotAllowedError';
  constructor(
    method: string,
    readonly allow: string[],
  ) {
    super(
      405,
      'METHOD_NOT_ALLOWED',
      'Method not allowed',
      `${method} is not allowed here; use ${allow.join(', ')}`,
    );
  }
}

/** 409: the action is illegal in the job's current state (the state is in the body). */
export class IllegalStateError extends HttpError {
  override name = 'IllegalStateError';
  constructor(state: JobState, detail: string) {
    super(409, 'ILLEGAL_STATE', 'Illegal in the current state', detail, { state });
  }
}

/** 409: a conflict that is not about the job state (another action is in progress, a checkpoint not COMPLETED). */
export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'CONFLICT', 'Conflict', detail, extra);
  }
}

/** 413: the body is over the limit. */
export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', `the body exceeds ${limitBytes} bytes`);
  }
}

/** 415: a body that is not JSON. */
export class UnsupportedMediaTypeError extends HttpError {
  override name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      `expected Content-Type application/json, got ${contentType ?? 'none'}`,
    );
  }
}

/** 422: the input failed validation; `errors[]` has the path of every bad field. */
export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(errors: ValidationIssueDto[], detail = 'the request failed validation') {
    super(422, 'VALIDATION_FAILED', 'Validation failed', detail, { errors });
  }
}

/** 422: an Idempotency-Key reused with a different body. */
export class IdempotencyKeyReusedError extends HttpError {
  override name = 'IdempotencyKeyReusedError';
  constructor(key: string) {
    super(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency key reused',
      `Idempotency-Key "${key}" was used with a different body`,
    );
  }
}

/** 504: the request took longer than the request timeout. */
export class RequestTimeoutError extends HttpError {
  override name = 'RequestTimeoutError';
  constructor(timeoutMs: number) {
    super(
      504,
      'TIMEOUT',
      'Request timed out',
      `the request was not answered within ${timeoutMs} ms`,
    );
  }
}

/** 503: the server is shutting down or its database does not answer. */
export class UnavailableError extends HttpError {
  override name = 'UnavailableError';
  constructor(detail: string) {
    super(503, 'UNAVAILABLE', 'Service unavailable', detail);
  }
}
