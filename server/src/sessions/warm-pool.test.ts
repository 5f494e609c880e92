import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FakeDriver } from '../sandbox/fake-driver';
import { SessionService } from './session-service';
import { sessionKey } from './session-key';
import { WarmPool } from './warm-pool';

function setup(size = 2, maxIdleMs = 600_000) {
  let now = new Date('2026-11-23T12:00:00Z');
  const clock = { now: () => now };
  const driver = new FakeDriver();
  const pool = new WarmPool({ driver, clock, logger: silentLogger, size, sessionTtlMs: 3_600_000, maxIdleMs, readyTimeoutMs: 1000 });
  const sessions = new SessionService({
    driver,
    pool,
    clock,
    logger: silentLogger,
    sessionTtlMs: 3_600_000,
    readyTimeoutMs: 1000,
    execMaxOutputBytes: 1024,
  });
  return { driver, pool, sessions, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('WarmPool', () => {
  it('fills to its size with pooled, ready sandboxes', async () => {
    const { driver, pool } = setup(2);
    pool.start();
    await until(() => pool.readyCount === 2);
    expect([...driver.instances.values()].every((spec) => spec.pooled)).toBe(true);
    expect(pool.keys()).toHaveLength(2);
    await pool.stop();
  });

  it('hands a slot to a new session, claims it, and refills', async () => {
    const { driver, pool, sessions } = setup(1);
    pool.start();
    await until(() => pool.readyCount === 1);
    const { id, session } = await sessions.create();
    expect(driver.claimed).toEqual([`${sessionKey(id)}/node1`]);
    expect(session.instances.get('node1')!.state).toBe('running');
    expect(session.expiresAt.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    await until(() => pool.readyCount === 1);
    expect(pool.keys()).not.toContain(session.key);
    await pool.stop();
  });

  it('starts cold when the claim fails, and removes the broken slot', async () => {
    const { driver, pool, sessions } = setup(1);
    pool.start();
    await until(() => pool.readyCount === 1);
    const brokenKey = pool.keys()[0]!;
    driver.failClaimWith = new Error('container gone');
    const { id } = await sessions.create();
    expect(sessionKey(id)).not.toBe(brokenKey);
    await until(() => driver.removedSessions.includes(brokenKey));
    await pool.stop();
  });

  it('replaces slots idle too long and removes all slots on stop', async () => {
    const { driver, pool, advance } = setup(1, 1000);
    pool.start();
    await until(() => pool.readyCount === 1);
    const first = pool.keys()[0]!;
    advance(2000);
    await until(() => driver.removedSessions.includes(first) && pool.readyCount === 1);
    const second = pool.keys()[0]!;
    expect(second).not.toBe(first);
    await pool.stop();
    expect(driver.removedSessions).toContain(second);
    expect(pool.readyCount).toBe(0);
  });

  it('never outlives the labels a slot was made with', async () => {
    const { pool, sessions, advance } = setup(1, 600_000);
    pool.start();
    await until(() => pool.readyCount === 1);
    advance(900_000); // older than maxIdle, not yet recycled
    const { session } = await sessions.create();
    // Labels say created + TTL + maxIdle = 13:10; now + TTL would be 13:15.
    expect(session.expiresAt.toISOString()).toBe('2026-11-23T13:10:00.000Z');
    await pool.stop();
  });

  it('backs off when sandboxes cannot be started, and a size of 0 starts nothing', async () => {
    const { driver, pool } = setup(1);
    driver.failStartWith = new Error('no image');
    pool.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.readyCount).toBe(0);
    expect(driver.removedSessions).toHaveLength(1); // cleaned up, and not retried at once
    await pool.stop();

    const empty = setup(0);
    empty.pool.start();
    expect(empty.driver.instances.size).toBe(0);
  });
});
