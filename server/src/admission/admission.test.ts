import { describe, expect, it } from 'vitest';
import { AdmissionRefusedError } from '../errors';
import { Admission, defaultMaxTotalInstances, INSTANCE_BUDGET_BYTES, TooManySessionsError } from './admission';
import { parseMemAvailable } from './host-memory';
import { RateLimiter } from './rate-limiter';

const clock = { now: () => new Date(0) };

function admission(usage: { sessions: number; instances: number }, perMinute = 10, maxSessionsPerClient = 0) {
  return new Admission({
    maxSessions: 3,
    maxTotalInstances: 6,
    maxSessionsPerClient,
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
  it('reports the room left under the caps, reservations included', () => {
    const gate = admission({ sessions: 1, instances: 2 });
    expect(gate.room()).toEqual({ sessions: 2, instances: 4 });
    gate.admitSession('a', 3);
    expect(gate.room()).toEqual({ sessions: 1, instances: 1 });
    expect(admission({ sessions: 1, instances: 6 }).room()).toEqual({ sessions: 0, instances: 0 });
  });

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

  it('counts what it admitted while it is still starting, so a burst cannot overshoot the caps', () => {
    const gate = admission({ sessions: 1, instances: 1 });
    const admitted = [gate.admitInstances(), gate.admitInstances(), gate.admitInstances(), gate.admitInstances(), gate.admitInstances()];
    expect(admitted).toHaveLength(5);
    expect(refusal(() => gate.admitInstances()).status).toBe(503);
    // One start fails: its slot is free again.
    admitted[0]!.release();
    admitted[0]!.release(); // twice is harmless
    expect(() => gate.admitInstances()).not.toThrow();
    expect(refusal(() => gate.admitInstances()).status).toBe(503);
  });

  it('moves a started instance from reserved to live without counting it twice', () => {
    const usage = { sessions: 1, instances: 1 };
    const gate = admission(usage);
    const reservation = gate.admitInstances(2);
    expect(gate.usage()).toEqual({ sessions: 1, instances: 3 });
    usage.instances += 1; // the session service puts the first one in its session...
    reservation.instanceSettled(); // ...and settles its slot at the same moment
    expect(gate.usage()).toEqual({ sessions: 1, instances: 3 });
    reservation.release(); // the second never started
    expect(gate.usage()).toEqual({ sessions: 1, instances: 2 });
  });

  it('reserves a session with all its planned instances', () => {
    const usage = { sessions: 0, instances: 0 };
    const gate = admission(usage);
    const first = gate.admitSession('1.1.1.1', 5);
    expect(gate.usage()).toEqual({ sessions: 1, instances: 5 });
    expect(refusal(() => gate.admitSession('2.2.2.2', 2)).message).toMatch(/6 Docker hosts/);
    first.release();
    expect(gate.usage()).toEqual({ sessions: 0, instances: 0 });
    gate.admitSession('1.1.1.1');
    gate.admitSession('2.2.2.2');
    gate.admitSession('3.3.3.3');
    expect(refusal(() => gate.admitSession('4.4.4.4')).message).toMatch(/full \(3 sessions/);
  });

  it('caps the sessions one client has at once, until one ends', () => {
    const usage = { sessions: 0, instances: 0 };
    const gate = new Admission({ maxSessions: 100, maxTotalInstances: 100, maxSessionsPerClient: 2, rateLimiter: new RateLimiter(0, clock), usage: () => usage });
    const a = gate.admitSession('1.1.1.1');
    const b = gate.admitSession('1.1.1.1');
    const error = refusal(() => gate.admitSession('1.1.1.1'));
    expect(error).toBeInstanceOf(TooManySessionsError);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.message).toMatch(/already have 2 sessions open from your address/);
    expect(() => gate.admitSession('2.2.2.2')).not.toThrow();

    // A failed start gives the place back; so does a started session once it ends.
    a.release();
    const c = gate.admitSession('1.1.1.1');
    b.sessionStarted('key-b');
    c.sessionStarted('key-c');
    expect(refusal(() => gate.admitSession('1.1.1.1'))).toBeInstanceOf(TooManySessionsError);
    gate.sessionEnded('key-b');
    gate.sessionEnded('key-b'); // twice is harmless
    expect(() => gate.admitSession('1.1.1.1')).not.toThrow();
    expect(refusal(() => gate.admitSession('1.1.1.1'))).toBeInstanceOf(TooManySessionsError);
  });

  it('does not cap sessions per client at 0', () => {
    const gate = admission({ sessions: 0, instances: 0 }, 0, 0);
    gate.admitSession('1.1.1.1');
    gate.admitSession('1.1.1.1');
    expect(() => gate.admitSession('1.1.1.1')).not.toThrow();
  });

  it('sizes the default cap from memory', () => {
    expect(defaultMaxTotalInstances(24 * 1024 ** 3)).toBe(204);
    expect(defaultMaxTotalInstances(1024 ** 3)).toBe(8);
    expect(defaultMaxTotalInstances(256 * 1024 ** 2)).toBe(4);
  });
});

describe('memory left on the host', () => {
  const GiB = 1024 ** 3;
  function admission(available: number) {
    return new Admission({
      maxSessions: 1000,
      maxTotalInstances: 1000,
      rateLimiter: new RateLimiter(0, { now: () => new Date() }),
      usage: () => ({ sessions: 0, instances: 0 }),
      memoryAvailable: () => available,
      memoryReserveBytes: 2 * GiB,
    });
  }

  it('admits while the reserve and the new instance\'s budget fit, and refuses in words when they do not', () => {
    expect(() => admission(2 * GiB + INSTANCE_BUDGET_BYTES).admitSession('a')).not.toThrow();
    expect(() => admission(2 * GiB).admitSession('a')).toThrow(/memory is nearly all in use/);
    expect(() => admission(2 * GiB + INSTANCE_BUDGET_BYTES).admitSession('a', 3)).toThrow(/memory/);
  });

  it('counts as room only the instances the memory above the reserve can hold', () => {
    expect(admission(2 * GiB + 3.5 * INSTANCE_BUDGET_BYTES).room()).toEqual({ sessions: 3, instances: 3 });
    expect(admission(GiB).room()).toEqual({ sessions: 0, instances: 0 });
  });

  it('reads MemAvailable from /proc/meminfo', () => {
    expect(parseMemAvailable('MemTotal:       24576000 kB\nMemFree:  100 kB\nMemAvailable:   20000000 kB\n')).toBe(20000000 * 1024);
    expect(parseMemAvailable('nothing here')).toBeUndefined();
  });
});
