import { describe, expect, it } from 'vitest';
import { AdmissionRefusedError } from '../errors';
import { Admission, defaultMaxTotalInstances } from './admission';
import { RateLimiter } from './rate-limiter';

const clock = { now: () => new Date(0) };

function admission(usage: { sessions: number; instances: number }, perMinute = 10) {
  return new Admission({
    maxSessions: 3,
    maxTotalInstances: 6,
    rateLimiter: new RateLimiter(perMinute, clock),
    usage: () => usage,
  });
}

function refusal(run: () => void): AdmissionRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof AdmissionRefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Admission', () => {
  it('admits while under every limit', () => {
    expect(() => admission({ sessions: 2, instances: 5 }).admitSession('1.2.3.4')).not.toThrow();
  });

  it('refuses with 503 and a retry time when the session cap is reached', () => {
    const error = refusal(() => admission({ sessions: 3, instances: 3 }).admitSession('1.2.3.4'));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/full \(3 sessions/);
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('refuses a session whose instances would not fit (a 5-node template on a nearly full host)', () => {
    const error = refusal(() => admission({ sessions: 1, instances: 2 }).admitSession('1.2.3.4', 5));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/6 Docker hosts/);
  });

  it('refuses an added instance over the global cap', () => {
    expect(() => admission({ sessions: 1, instances: 5 }).admitInstances()).not.toThrow();
    expect(refusal(() => admission({ sessions: 1, instances: 6 }).admitInstances()).status).toBe(503);
  });

  it('refuses a client over its rate with 429, leaving other clients alone', () => {
    const gate = admission({ sessions: 0, instances: 0 }, 2);
    gate.admitSession('1.1.1.1');
    gate.admitSession('1.1.1.1');
    const error = refusal(() => gate.admitSession('1.1.1.1'));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/wait 30 s/);
    expect(() => gate.admitSession('2.2.2.2')).not.toThrow();
  });

  it('sizes the default cap from memory', () => {
    expect(defaultMaxTotalInstances(24 * 1024 ** 3)).toBe(61);
    expect(defaultMaxTotalInstances(1024 ** 3)).toBe(4);
  });
});
