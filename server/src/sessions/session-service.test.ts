import { describe, expect, it } from 'vitest';
import { BadRequestError, InstanceNotFoundError, SessionNotFoundError } from '../errors';
import { silentLogger } from '../log';
import { FakeDriver } from '../sandbox/fake-driver';
import { SessionService } from './session-service';
import { sessionKey } from './session-key';

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
    const info = session.toInfo(id);
    expect(info.id).toBe(id);
    expect(info.expiresAt).toBe('2026-11-23T12:01:00.000Z');
    expect(info.instances).toEqual([{ name: 'node1', hostname: 'node1', ip: expect.any(String), state: 'starting', ports: [], terminals: [] }]);
    expect(driver.networks.has(sessionKey(id))).toBe(true);
    markReady();
    await session.instances.get('node1')!.ready;
    expect(service.get(id).toInfo(id).instances[0]!.state).toBe('running');
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
});
