/**
 * @module
 * Turns any error response into problem details, also the ones a proxy or an
 * older server sends without a problem+json body.
 */
import { ERROR_CODES, type ErrorCode, type ProblemDetails, problemType } from '@flinknet/contracts';

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'TOO_MANY_REQUESTS',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
};

function codeFor(status: number): ErrorCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problem details from an error response; missing fields are filled from the status line. */
export async function toProblem(response: Response): Promise<ProblemDetails> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const fields = isRecord(body) ? body : {};
  const code =
    typeof fields.code === 'string' && (ERROR_CODES as readonly string[]).includes(fields.code)
      ? (fields.code as ErrorCode)
      : codeFor(response.status);
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  const detail =
    typeof fields.detail === 'string'
      ? fields.detail
      : !isRecord(body) && text
        ? text.slice(0, 500)
        : undefined;
  return {
    ...fields,
    type: typeof fields.type === 'string' ? fields.type : problemType(code),
    title: typeof fields.title === 'string' ? fields.title : fallbackTitle,
    status: response.status,
    code,
    ...(detail !== undefined ? { detail } : {}),
    ...(Array.isArray(fields.errors) ? { errors: fields.errors as ProblemDetails['errors'] } : {}),
  };
}
