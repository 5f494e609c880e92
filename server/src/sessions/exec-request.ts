import { BadRequestError } from '../errors';
import type { ExecRequest } from '../protocol/api-types';

/** Longest an API exec may run (timeoutMs). */
export const MAX_EXEC_TIMEOUT_MS = 600_000;
/** An API exec's timeout when the request names none. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/** Checks the body of POST .../exec: 400 with a sentence when wrong. Returns its timeout. */
export function validateExecRequest(request: ExecRequest): number {
  if (
    !Array.isArray(request.cmd) ||
    request.cmd.length === 0 ||
    !request.cmd.every((part) => typeof part === 'string')
  ) {
    throw new BadRequestError('"cmd" must be a non-empty array of strings, e.g. ["sh","-c","docker ps"].');
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_EXEC_TIMEOUT_MS) {
    throw new BadRequestError(`"timeoutMs" must be a whole number from 1 to ${MAX_EXEC_TIMEOUT_MS}.`);
  }
  return timeoutMs;
}
