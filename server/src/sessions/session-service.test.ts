import { describe, expect, it } from 'vitest';
import { Admission } from '../admission/admission';
import { RateLimiter } from '../admission/rate-limiter';
import { BadRequestError, BusyError, ExtendLimitError, InstanceNotFoundError, RemovalIncompleteError, SessionNotFoundError } from '../errors';
import { silentLogger } from '../log';
import { FakeDriver } from '../sandbox/fake-driver';
import type { EngineStatsSample } from '../sandbox/instance-stats';
import { ExpiryStore } from './expiry-store';
import { MAX_EXECS_PER_SESSION, SessionService } from './session-service';
import { sessionKey } from './session-key';

function setupExtendable() {
  let now = new Date('2026-11-23T12:00:00Z');
  const driver = new FakeDriver();
  const expiries = ExpiryStore.inMemory();
  const service = new SessionService({
    driver,
    clock: { now: () => now },
    logger: silentLogger,
    sessionTtlMs: 60 * 60_000,
    readyTimeoutMs: 1000,
    execMaxOutputBytes: 1024,
    expiries,
    extension: { stepMs: 30 * 60_000, maxTtlMs: 100 * 60_000, warnBeforeMs: 10 * 60_000 },
  });
  return { driver, service, expiries, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

function setup(ttlMs = 60_000) {
  let now = new Date('2026-11-23T12:00:00Z');
  const clock = { now: () => now };
  const driver = new FakeDriver();
  const service = new SessionService({
    driver,
    clock,
    logger: silentLogger,
    sessionTtlMs: ttlMs,
    readyTimeoutMs: 1000,
    execMaxOutputBytes: 1024,
  });
  return { driver, service, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('SessionService', () => {
  it('creates a session with node1 that expires after the TTL', async () => {
    const { service, driver } = setup();
    let markReady!: () => void;
    driver.readyResult = new Promise((resolve) => (markReady = resolve));
    const { id, session } = await service.create();
    const info = session.toInfo(id, 'local');
    expect(info.id).toBe(id);
    expect(info.expiresAt).toBe('2026-11-23T12:01:00.000Z');
    expect(info.instances).toEqual([{ name: 'node1', hostname: 'node1', ip: expect.any(String), state: 'starting', ports: [], terminals: [] }]);
    expect(driver.networks.has(sessionKey(id))).toBe(true);
    markReady();
    await session.instances.get('node1')!.ready;
    expect(service.get(id).toInfo(id, 'local').instances[0]!.state).toBe('running');
  });

  it('marks a new session unanswered before it touches the engine, until its id is handed over', async () => {
    const { service, driver, expiries } = setupExtendable();
    let markedBeforeNetwork: boolean | undefined;
    const createNetwork = driver.createSessionNetwork.bind(driver);
    driver.createSessionNetwork = async (key, ...rest) => {
      markedBeforeNetwork = expiries.get(key)?.unanswered;
      return createNetwork(key, ...rest);
    };
    const { id, session } = await service.create();
    expect(markedBeforeNetwork).toBe(true);
    expect(service.wasUnanswered(session.key)).toBe(true);
    await service.handedOver(id);
    expect(service.wasUnanswered(session.key)).toBe(false);
  });

  it('removes what it made when the sandbox fails to start', async () => {
    const { service, driver } = setup();
    driver.failStartWith = new Error('no image');
    await expect(service.create()).rejects.toThrow('no image');
    expect(driver.removedSessions).toHaveLength(1);
    expect(service.list()).toEqual([]);
  });

  it('answers unknown, malformed and expired ids with SessionNotFoundError', async () => {
    const { service, advance } = setup();
    expect(() => service.get('A'.repeat(22))).toThrow(SessionNotFoundError);
    expect(() => service.get('../etc')).toThrow(SessionNotFoundError);
    const { id } = await service.create();
    advance(60_000);
    expect(() => service.get(id)).toThrow(SessionNotFoundError);
  });

  it('extends a session by the step, up to the longest allowed, then says no; the end is saved', async () => {
    const { service, expiries } = setupExtendable();
    const { id, session } = await service.create();
    const info = session.toInfo(id, 'local');
    expect(info.expiresAt).toBe('2026-11-23T13:00:00.000Z');
    expect(info.maxExpiresAt).toBe('2026-11-23T13:40:00.000Z');
    expect(info.warnBeforeSeconds).toBe(600);
    expect((await service.extend(id)).expiresAt.toISOString()).toBe('2026-11-23T13:30:00.000Z');
    expect(expiries.get(session.key)?.expiresAt.toISOString()).toBe('2026-11-23T13:30:00.000Z');
    expect((await service.extend(id)).expiresAt.toISOString()).toBe('2026-11-23T13:40:00.000Z');
    await expect(service.extend(id)).rejects.toThrow(ExtendLimitError);
  });

  it('adopts a session at its saved expiry rather than its labels', async () => {
    const { service, expiries } = setupExtendable();
    await expiries.set('a'.repeat(32), { expiresAt: new Date('2026-11-23T15:00:00Z'), maxExpiresAt: new Date('2026-11-23T16:00:00Z') });
    service.adopt({ key: 'a'.repeat(32), createdAt: new Date('2026-11-23T11:00:00Z'), expiresAt: new Date('2026-11-23T12:30:00Z'), instances: [] });
    expect(service.list()[0]!.expiresAt.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(service.list()[0]!.maxExpiresAt.toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('a close waits for a sandbox still being created, so it is removed with the rest', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    let open!: () => void;
    driver.startGate = new Promise((resolve) => (open = resolve));
    const adding = service.addInstance(id);
    const closing = service.close(id);
    open();
    await expect(adding).rejects.toThrow(SessionNotFoundError);
    await closing;
    // Removal ran after node2 existed: no sandbox of the session is left.
    expect([...driver.instances.values()].filter((spec) => spec.sessionKey === sessionKey(id))).toEqual([]);
  });

  it('a close the engine refused part-way is finished by a second DELETE, and listed for the reaper meanwhile', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    driver.failRemoveWith = [Object.assign(new Error('volume is in use'), { statusCode: 409 })];
    await expect(service.close(id)).rejects.toThrow(RemovalIncompleteError);
    expect(service.unfinishedCloses()).toEqual([sessionKey(id)]);
    await service.close(id);
    expect(driver.removedSessions).toEqual([sessionKey(id)]);
    expect(service.unfinishedCloses()).toEqual([]);
    await expect(service.close(id)).rejects.toThrow(SessionNotFoundError);
  });

  it('closing twice removes once and the session is gone after', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    const ended: string[] = [];
    service.onSessionEnded((key, reason) => ended.push(`${key}:${reason}`));
    await Promise.all([service.closeByKey(sessionKey(id), 'closed'), service.closeByKey(sessionKey(id), 'closed')]);
    expect(driver.removedSessions).toEqual([sessionKey(id)]);
    expect(ended).toEqual([`${sessionKey(id)}:closed`]);
    expect(() => service.get(id)).toThrow(SessionNotFoundError);
    await expect(service.close(id)).rejects.toThrow(SessionNotFoundError);
  });

  it('validates exec requests and finds the instance', async () => {
    const { service } = setup();
    const { id } = await service.create();
    await expect(service.exec(id, 'node1', { cmd: [] })).rejects.toThrow(BadRequestError);
    await expect(service.exec(id, 'node1', { cmd: ['ls', 5 as unknown as string] })).rejects.toThrow(BadRequestError);
    await expect(service.exec(id, 'node1', { cmd: ['ls'], timeoutMs: 0 })).rejects.toThrow(BadRequestError);
    await expect(service.exec(id, 'node9', { cmd: ['ls'] })).rejects.toThrow(InstanceNotFoundError);
    await expect(service.exec(id, 'node1', { cmd: ['echo', 'hi'] })).resolves.toMatchObject({ stdout: 'echo hi' });
  });

  it('adopts sessions found on the engine', async () => {
    const { service } = setup();
    service.adopt({
      key: 'k'.repeat(32),
      createdAt: new Date('2026-11-23T11:00:00Z'),
      expiresAt: new Date('2026-11-23T13:00:00Z'),
      instances: [{ name: 'node1', containerId: 'c', ip: '10.0.0.5' }],
    });
    expect(service.hasKey('k'.repeat(32))).toBe(true);
  });

  it('runs at most MAX_EXECS_PER_SESSION API commands at once per session', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    const other = await service.create();
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    driver.exec = async (_container, cmd) => {
      await held;
      return { exitCode: 0, stdout: cmd.join(' '), stderr: '', timedOut: false, truncated: false };
    };
    const running = Array.from({ length: MAX_EXECS_PER_SESSION }, () => service.exec(id, 'node1', { cmd: ['sleep'] }));
    await expect(service.exec(id, 'node1', { cmd: ['one-more'] })).rejects.toThrow(BusyError);
    await expect(service.exec(id, 'node1', { cmd: ['one-more'] })).rejects.toThrow(/already runs 4 commands/);
    const elsewhere = service.exec(other.id, 'node1', { cmd: ['fine'] }); // another session is not affected
    finish();
    await Promise.all([...running, elsewhere]);
    await expect(service.exec(id, 'node1', { cmd: ['after'] })).resolves.toMatchObject({ stdout: 'after' });
  });

  it('asks the engine for stats once however many callers watch, and again after a second', async () => {
    const { service, driver, advance } = setup();
    const { id } = await service.create();
    let samples = 0;
    driver.statsSample = async (): Promise<EngineStatsSample> => {
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { memory_stats: { usage: samples, limit: 2 } };
    };
    const together = await Promise.all(Array.from({ length: 10 }, () => service.stats(id, 'node1')));
    expect(samples).toBe(1);
    expect(new Set(together.map((stats) => stats.memoryBytes))).toEqual(new Set([1]));
    advance(500);
    await service.stats(id, 'node1');
    expect(samples).toBe(1);
    advance(600);
    await service.stats(id, 'node1');
    expect(samples).toBe(2);
  });

  it('does not share a failed stats call', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    let calls = 0;
    driver.statsSample = async (): Promise<EngineStatsSample> => {
      calls += 1;
      if (calls === 1) throw new Error('engine hiccup');
      return { memory_stats: { usage: 1, limit: 2 } };
    };
    await expect(service.stats(id, 'node1')).rejects.toThrow('engine hiccup');
    await expect(service.stats(id, 'node1')).resolves.toMatchObject({ memoryBytes: 1 });
  });

  it('restarts an instance once when asked twice at once', async () => {
    const { service, driver } = setup();
    const { id } = await service.create();
    const [first, second] = await Promise.all([service.restartInstance(id, 'node1'), service.restartInstance(id, 'node1')]);
    expect(first).toBe(second);
    expect(driver.restarted).toHaveLength(1);
    await service.restartInstance(id, 'node1'); // once done, a later restart runs again
    expect(driver.restarted).toHaveLength(2);
  });
});

describe('SessionService with admission reservations', () => {
  function gated(maxTotalInstances: number) {
    const world = setup();
    const admission = new Admission({
      maxSessions: 10,
      maxTotalInstances,
      maxSessionsPerClient: 2,
      rateLimiter: new RateLimiter(0, { now: () => new Date(0) }),
      usage: () => world.service.usage(),
    });
    world.service.onSessionEnded((key) => admission.sessionEnded(key));
    return { ...world, admission };
  }

  it('counts a session and its instance once each, whether starting or started', async () => {
    const { service, admission } = gated(10);
    const reservation = admission.admitSession('1.1.1.1');
    expect(admission.usage()).toEqual({ sessions: 1, instances: 1 });
    const creating = service.create(reservation);
    expect(admission.usage()).toEqual({ sessions: 1, instances: 1 });
    await creating;
    expect(admission.usage()).toEqual({ sessions: 1, instances: 1 });
    expect(reservation.instancesHeld).toBe(0);
  });

  it('gives a failed start’s slots back, and its client’s place', async () => {
    const { service, driver, admission } = gated(10);
    driver.failStartWith = new Error('no image');
    const reservation = admission.admitSession('1.1.1.1');
    await expect(service.create(reservation)).rejects.toThrow('no image');
    reservation.release(); // what the route does on failure
    expect(admission.usage()).toEqual({ sessions: 0, instances: 0 });
    driver.failStartWith = undefined;
    await service.create(admission.admitSession('1.1.1.1'));
    await service.create(admission.admitSession('1.1.1.1'));
    expect(() => admission.admitSession('1.1.1.1')).toThrow(/already have 2 sessions/);
  });

  it('keeps a template’s further slots with the session until its nodes start', async () => {
    const { service, admission } = gated(4);
    const reservation = admission.admitSession('1.1.1.1', 3);
    const { id } = await service.create(reservation);
    expect(admission.usage()).toEqual({ sessions: 1, instances: 3 });
    expect(() => admission.admitInstances(2)).toThrow(/full/); // the template's nodes are spoken for
    await Promise.all([service.addInstance(id), service.addInstance(id)]); // what the template does
    expect(admission.usage()).toEqual({ sessions: 1, instances: 3 });
    const extra = admission.admitInstances(1);
    await service.addInstance(id, extra);
    expect(admission.usage()).toEqual({ sessions: 1, instances: 4 });
  });

  it('releases slots a session still holds when it ends, and its client’s place', async () => {
    const { service, admission } = gated(10);
    const { id } = await service.create(admission.admitSession('1.1.1.1', 5));
    await service.create(admission.admitSession('1.1.1.1'));
    expect(admission.usage().instances).toBe(6);
    await service.close(id);
    expect(admission.usage()).toEqual({ sessions: 1, instances: 1 });
    expect(() => admission.admitSession('1.1.1.1')).not.toThrow();
  });

  it('frees an added instance’s slot when it fails to start', async () => {
    const { service, driver, admission } = gated(2);
    const { id } = await service.create(admission.admitSession('1.1.1.1'));
    driver.failStartWith = new Error('engine hiccup');
    const reservation = admission.admitInstances(1);
    await expect(service.addInstance(id, reservation)).rejects.toThrow('engine hiccup');
    reservation.release();
    expect(admission.usage().instances).toBe(1);
  });
});
