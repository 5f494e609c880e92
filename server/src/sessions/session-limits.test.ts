import { describe, expect, it } from 'vitest';
import { ExtendLimitError } from '../errors';
import { Session } from './session';
import { applyLimits, extendedExpiry } from './session-limits';

const MINUTE = 60_000;
const start = new Date('2026-12-03T10:00:00Z');

function session(ttlMinutes: number): Session {
  return new Session('k'.repeat(32), start, new Date(start.getTime() + ttlMinutes * MINUTE), 'password');
}

describe('session limits', () => {
  it('lets a session grow to the longest allowed, and warns no earlier than half its length', () => {
    const s = session(60);
    applyLimits(s, 60 * MINUTE, { stepMs: 30 * MINUTE, maxTtlMs: 100 * MINUTE, warnBeforeMs: 40 * MINUTE });
    expect(s.maxExpiresAt.toISOString()).toBe('2026-12-03T11:40:00.000Z');
    expect(s.warnBeforeMs).toBe(30 * MINUTE);
  });

  it('without an extension policy, the end is the longest and there is no warning', () => {
    const s = session(60);
    applyLimits(s, 60 * MINUTE, undefined);
    expect(s.maxExpiresAt).toEqual(s.expiresAt);
    expect(s.warnBeforeMs).toBe(0);
  });

  it('extends by a step, then up to the cap, then refuses', () => {
    const s = session(60);
    applyLimits(s, 60 * MINUTE, { stepMs: 30 * MINUTE, maxTtlMs: 100 * MINUTE, warnBeforeMs: 0 });
    s.expiresAt = extendedExpiry(s, 30 * MINUTE);
    expect(s.expiresAt.toISOString()).toBe('2026-12-03T11:30:00.000Z');
    s.expiresAt = extendedExpiry(s, 30 * MINUTE);
    expect(s.expiresAt.toISOString()).toBe('2026-12-03T11:40:00.000Z');
    expect(() => extendedExpiry(s, 30 * MINUTE)).toThrow(ExtendLimitError);
  });
});
