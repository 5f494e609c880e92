import {
  AddressesExhaustedError,
  AdmissionRefusedError,
  DiskFullError,
  EngineSlowError,
  ExtendLimitError,
  RemovalIncompleteError,
  BadRequestError,
  BusyError,
  EngineUnavailableError,
  InstanceNotFoundError,
  InstanceLimitError,
  LengthRequiredError,
  PathNotFoundError,
  InstanceNotReadyError,
  PayloadTooLargeError,
  SessionNotFoundError,
} from '../errors';
import type { ErrorBody, ErrorCode } from '../protocol/api-types';
import { WorkshopNotFoundError } from '../workshops/workshop-service';
import { TooManySessionsError } from '../admission/admission';
import { LineFullError, TicketNotFoundError } from '../admission/waiting-room';

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

/** The one place errors become HTTP answers. Unknown errors are 500 with a generic message. */
export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof AdmissionRefusedError) {
    const code = error instanceof TooManySessionsError ? 'too_many_sessions' : error.status === 429 ? 'rate_limited' : 'at_capacity';
    const retryAfter = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    return { ...response(error.status, code, error.message), headers: { 'retry-after': retryAfter } };
  }
  if (error instanceof BusyError) {
    return { ...response(429, 'busy', error.message), headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) } };
  }
  if (error instanceof RouteError) return response(error.status, error.code, error.message);
  if (error instanceof SessionNotFoundError) return response(404, 'session_not_found', error.message);
  if (error instanceof InstanceNotFoundError) return response(404, 'instance_not_found', error.message);
  if (error instanceof BadRequestError) return response(400, 'bad_request', error.message);
  if (error instanceof PayloadTooLargeError) return response(413, 'payload_too_large', error.message);
  if (error instanceof EngineUnavailableError) return response(503, 'engine_unavailable', error.message);
  if (error instanceof WorkshopNotFoundError) return response(404, 'not_found', error.message);
  if (error instanceof PathNotFoundError) return response(404, 'not_found', error.message);
  if (error instanceof LengthRequiredError) return response(411, 'length_required', error.message);
  if (error instanceof InstanceLimitError) return response(409, 'instance_limit', error.message);
  if (error instanceof InstanceNotReadyError) return response(503, 'instance_not_ready', error.message);
  // The engine's failures we can name: each a code and a sentence, never "Something went wrong".
  if (error instanceof AddressesExhaustedError) return { ...response(503, 'addresses_exhausted', error.message), headers: { 'retry-after': '30' } };
  if (error instanceof DiskFullError) return { ...response(507, 'disk_full', error.message), headers: { 'retry-after': '60' } };
  if (error instanceof LineFullError) return { ...response(503, 'line_full', error.message), headers: { 'retry-after': '120' } };
  if (error instanceof TicketNotFoundError) return response(404, 'ticket_not_found', error.message);
  if (error instanceof ExtendLimitError) return response(409, 'extend_limit', error.message);
  if (error instanceof RemovalIncompleteError) return { ...response(503, 'removal_incomplete', error.message), headers: { 'retry-after': '5' } };
  if (error instanceof EngineSlowError) return { ...response(503, 'engine_slow', error.message), headers: { 'retry-after': '5' } };
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
