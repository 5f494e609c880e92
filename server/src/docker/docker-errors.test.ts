import { describe, expect, it } from 'vitest';
import { DiskFullError, EngineSlowError, EngineUnavailableError } from '../errors';
import { errorResponse } from '../http/error-response';
import { asEngineError } from './docker-errors';

// The engine's failures we can name become a code and a sentence, never "Something went wrong".
describe('asEngineError', () => {
  it('names an engine that cannot be reached, one that is too slow, and a full disk', () => {
    expect(asEngineError(Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(EngineUnavailableError);
    expect(asEngineError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toBeInstanceOf(EngineSlowError);
    expect(asEngineError(new Error('write /var/lib/docker/x: no space left on device'))).toBeInstanceOf(DiskFullError);
  });

  it('leaves other errors as they are', () => {
    const other = new Error('conflict');
    expect(asEngineError(other)).toBe(other);
  });

  it('answers each with its status and code', () => {
    expect(errorResponse(new DiskFullError()).status).toBe(507);
    expect(errorResponse(new DiskFullError()).body.error.code).toBe('disk_full');
    expect(errorResponse(new EngineSlowError('listing containers')).body.error.code).toBe('engine_slow');
    expect(errorResponse(new EngineSlowError('listing containers')).headers?.['retry-after']).toBe('5');
  });
});
