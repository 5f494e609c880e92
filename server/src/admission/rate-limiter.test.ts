import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

function clockAt(start: number) {
  const clock = { ms: start, now: () => new Date(clock.ms) };
  return clock;
}

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then refuses with the time until one more is allowed', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter(3, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].every((d) => d.allowed)).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    clock.ms += 19_999;
    expect(limiter.take('a').allowed).toBe(false);
    clock.ms += 1;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('keeps one bucket per client', () => {
    const limiter = new RateLimiter(1, clockAt(0));
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0, clockAt(0));
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(true);
  });

  it('stays bounded when a flood of addresses arrives', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter(5, clock);
    for (let i = 0; i < 25_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(10_000);
  });
});
