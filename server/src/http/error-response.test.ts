import { describe, expect, it } from 'vitest';
import { TooManySessionsError } from '../admission/admission';
import { AdmissionRefusedError, BadRequestError, BusyError, EngineUnavailableError, SessionNotFoundError } from '../errors';
import { errorResponse, isServerFault, withRequestId } from './error-response';

describe('errorResponse', () => {
  it('maps domain errors to statuses and codes', () => {
    expect(errorResponse(new SessionNotFoundError())).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    expect(errorResponse(new BadRequestError('no'))).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: 'no' } } });
  });

  it('answers admission refusals with Retry-After in whole seconds', () => {
    const limited = errorResponse(new AdmissionRefusedError(429, 'slow down', 1_500));
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } }, headers: { 'retry-after': '2' } });
    const full = errorResponse(new AdmissionRefusedError(503, 'full', 60_000));
    expect(full).toMatchObject({ status: 503, body: { error: { code: 'at_capacity' } }, headers: { 'retry-after': '60' } });
  });

  it('answers a client at its session limit and a busy session with 429, their own codes and Retry-After', () => {
    const perClient = errorResponse(new TooManySessionsError(429, 'close one', 60_000));
    expect(perClient).toMatchObject({ status: 429, body: { error: { code: 'too_many_sessions', message: 'close one' } }, headers: { 'retry-after': '60' } });
    const busy = errorResponse(new BusyError('wait'));
    expect(busy).toMatchObject({ status: 429, body: { error: { code: 'busy', message: 'wait' } }, headers: { 'retry-after': '1' } });
  });

  it('hides unknown errors behind a generic 500', () => {
    const answer = errorResponse(new Error('secret detail'));
    expect(answer.status).toBe(500);
    expect(answer.body.error.message).not.toContain('secret');
  });

  it('counts engine failures as faults worth logging, a full playground not', () => {
    expect(isServerFault(errorResponse(new EngineUnavailableError('down')))).toBe(true);
    expect(isServerFault(errorResponse(new AdmissionRefusedError(503, 'full', 1)))).toBe(false);
    expect(isServerFault(errorResponse(new BadRequestError('x')))).toBe(false);
  });
});

describe('withRequestId', () => {
  it('adds the request id to the error, keeping code and message', () => {
    const body = withRequestId({ error: { code: 'not_found', message: 'nothing here' } }, 'abc-123');
    expect(body).toEqual({ error: { code: 'not_found', message: 'nothing here', requestId: 'abc-123' } });
  });
});
