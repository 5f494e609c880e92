import { PlaygroundError } from '../errors';
import type { ErrorBody, ErrorCode } from '../protocol/api-types';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Extra headers, e.g. Retry-After on 429 and 503 from admission. */
  headers?: Record<string, string>;
}

/** Thrown by routing for requests no route takes. */
export class RouteError extends Error {
  constructor(
    readonly status: 404 | 405,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function response(status: number, code: ErrorCode, message: string): ErrorResponse {
  return { status, body: { error: { code, message } } };
}

/** The one place errors become HTTP answers: each error says its own status and code. Unknown errors are 500 with a generic message. */
export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof RouteError) return response(error.status, error.code, error.message);
  if (error instanceof PlaygroundError) {
    const answer = response(error.status, error.code, error.message);
    return error.retryAfterSeconds === undefined ? answer : { ...answer, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  return response(500, 'internal', 'Something went wrong on the server; it has been logged.');
}

/** The body with the request's id in it: a person reporting an error can quote it, an operator find its log lines. */
export function withRequestId(body: ErrorBody, requestId: string): ErrorBody {
  return { error: { ...body.error, requestId } };
}

/** Worth an error in the log: a 5xx that is not a deliberate refusal (a full playground, a full address range). */
export function isServerFault(answer: ErrorResponse): boolean {
  return answer.status >= 500 && !['at_capacity', 'addresses_exhausted', 'line_full'].includes(answer.body.error.code);
}
