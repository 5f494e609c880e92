import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SaveQuotaError, SavedNotFoundError, SavingUnavailableError } from '../errors';
import { silentLogger } from '../log';
import { FakeDriver } from '../sandbox/fake-driver';
import { sessionKey } from '../sessions/session-key';
import { SessionService } from '../sessions/session-service';
import { WorkshopProgress } from '../workshops/workshop-progress';
import { SavedStore } from './saved-store';
import { SessionSaving } from './session-saving';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function setup(quotaBytes = 1024 ** 3) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'saving-'));
  folders.push(dir);
  let now = new Date('2026-12-03T12:00:00Z');
  const clock = { now: () => now };
  const driver = new FakeDriver();
  const sessions = new SessionService({ driver, clock, logger: silentLogger, sessionTtlMs: 60 * 60_000, readyTimeoutMs: 1000, execMaxOutputBytes: 1024 });
  const store = new SavedStore(dir, quotaBytes, 24 * 60 * 60_000, clock);
  const saving = new SessionSaving(store, sessions, driver, silentLogger);
  return { driver, sessions, store, saving, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

/** The instances of a session, once the ones started in the background have come. */
async function instancesOf(sessions: SessionService, id: string, count: number): Promise<string[]> {
  for (let i = 0; i < 100 && sessions.get(id).instances.size < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return [...sessions.get(id).instances.keys()].sort();
}

describe('SessionSaving', () => {
  it('saves every instance disk and the workshop progress; a start from it seeds each instance with its own disk', async () => {
    const { driver, sessions, store, saving } = await setup();
    const { id, session } = await sessions.create();
    await sessions.addInstance(id);
    session.workshop = new WorkshopProgress('docker-101', 6);
    session.workshop.pass(1);
    session.workshop.pass(2);
    session.workshop.moveTo(3);

    const saved = await saving.save(id);
    expect(saved).toMatchObject({ instances: ['node1', 'node2'], workshop: { name: 'docker-101', passed: [1, 2], current: 3 }, link: `/?saved=${saved.id}` });
    expect(await readFile(store.imageOf(saved.id, 'node2'), 'utf8')).toBe(`${sessionKey(id)}/node2`);
    expect(sessions.get(id).instances.size).toBe(2); // the session goes on

    const resumed = await saving.start(saved.id);
    expect(resumed).not.toBe(id);
    expect(await instancesOf(sessions, resumed, 2)).toEqual(['node1', 'node2']);
    const seeds = [...driver.instances.values()].filter((spec) => spec.sessionKey === sessionKey(resumed)).map((spec) => [spec.name, spec.seedDisk]);
    expect(seeds.sort()).toEqual([
      ['node1', store.imageOf(saved.id, 'node1')],
      ['node2', store.imageOf(saved.id, 'node2')],
    ]);
    expect(sessions.get(resumed).workshop?.toInfo()).toEqual({ name: 'docker-101', passed: [1, 2], current: 3 });

    // A second start is a fork: another session, the saved one still there.
    const forked = await saving.start(saved.id);
    expect(new Set([id, resumed, forked]).size).toBe(3);
    expect(await saving.get(saved.id)).toEqual(saved);
  });

  it('refuses past the quota in words and keeps nothing of the refused save', async () => {
    const { sessions, saving, store } = await setup(6_000);
    const { id } = await sessions.create();
    const first = await saving.save(id); // one small image: 4 KiB on disk
    const refused = saving.save(id);
    await expect(refused).rejects.toBeInstanceOf(SaveQuotaError);
    await expect(refused).rejects.toThrow(/SAVE_QUOTA/);
    expect(await store.usedBytes()).toBe(first.bytes);
    await saving.remove(first.id);
    await expect(saving.save(id)).resolves.toMatchObject({ instances: ['node1'] });
  });

  it('says why it cannot save without instance disks, and keeps nothing', async () => {
    const { driver, sessions, saving, store } = await setup();
    driver.keepsDisks = false;
    const { id } = await sessions.create();
    await expect(saving.save(id)).rejects.toBeInstanceOf(SavingUnavailableError);
    expect(await store.usedBytes()).toBe(0);
  });

  it('a saved session past its time is gone: 404 in words', async () => {
    const { sessions, saving, advance } = await setup();
    const { id } = await sessions.create();
    const saved = await saving.save(id);
    advance(24 * 60 * 60_000);
    await expect(saving.get(saved.id)).rejects.toBeInstanceOf(SavedNotFoundError);
    await expect(saving.start(saved.id)).rejects.toBeInstanceOf(SavedNotFoundError);
    await expect(saving.get('not-an-id')).rejects.toThrow(/no saved session/);
  });
});
