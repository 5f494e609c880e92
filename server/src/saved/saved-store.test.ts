import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SavedStore } from './saved-store';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function setup(ttlMs = 60_000) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'saved-'));
  folders.push(dir);
  let now = new Date('2026-12-03T12:00:00Z');
  const store = new SavedStore(dir, 1024 ** 3, ttlMs, { now: () => now });
  return { dir, store, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('SavedStore', () => {
  it('keeps a committed save with its images, its expiry and the disk it takes', async () => {
    const { store } = await setup();
    const { id } = await store.begin();
    expect(SavedStore.isId(id)).toBe(true);
    await writeFile(store.imageOf(id, 'node1'), Buffer.alloc(10_000, 1));
    const saved = await store.commit({ id, instances: ['node1'] });
    expect(saved).toMatchObject({ id, instances: ['node1'], savedAt: '2026-12-03T12:00:00.000Z', expiresAt: '2026-12-03T12:01:00.000Z' });
    expect(saved.bytes).toBeGreaterThanOrEqual(10_000);
    expect(await store.get(id)).toEqual(saved);
    expect(await store.usedBytes()).toBe(saved.bytes);
  });

  it('answers nothing for unknown, malformed and hostile ids, and removes nothing outside its folder', async () => {
    const { store, dir } = await setup();
    expect(await store.get('A'.repeat(22))).toBeUndefined();
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    expect(await store.remove('..')).toBe(false);
    expect(await readdir(path.dirname(dir))).toContain(path.basename(dir));
  });

  it('forgets a save at its expiry, and the sweep removes its files', async () => {
    const { store, advance, dir } = await setup(60_000);
    const { id } = await store.begin();
    await writeFile(store.imageOf(id, 'node1'), 'disk');
    await store.commit({ id, instances: ['node1'] });
    advance(59_000);
    expect(await store.sweep()).toBe(0);
    expect(await store.get(id)).toBeDefined();
    advance(1_000);
    expect(await store.get(id)).toBeUndefined();
    expect(await store.sweep()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('sweeps a save that never finished (no saved.json) once it is old, not while it may be running', async () => {
    const { store, dir } = await setup();
    const { id, folder } = await store.begin();
    await writeFile(store.imageOf(id, 'node1'), 'half');
    expect(await store.sweep()).toBe(0);
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(folder, anHourAgo, anHourAgo);
    // An image still being written (its time fresh) keeps a long save from being swept.
    const real0 = new SavedStore(dir, 1024 ** 3, 60_000, { now: () => new Date() });
    expect(await real0.sweep()).toBe(0);
    await utimes(store.imageOf(id, 'node1'), anHourAgo, anHourAgo);
    // The store's clock is the real one's business here: age is measured against it.
    const real = new SavedStore(dir, 1024 ** 3, 60_000, { now: () => new Date() });
    expect(await real.sweep()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a damaged saved.json is no saved session, and is swept like a save that never finished', async () => {
    const { store, dir } = await setup();
    const { id, folder } = await store.begin();
    await writeFile(path.join(folder, 'saved.json'), '{"not json');
    expect(await store.get(id)).toBeUndefined();
    expect(await store.sweep()).toBe(0); // young: it may be a save still being written
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(path.join(folder, 'saved.json'), anHourAgo, anHourAgo);
    await utimes(folder, anHourAgo, anHourAgo);
    const real = new SavedStore(dir, 1024 ** 3, 60_000, { now: () => new Date() });
    expect(await real.sweep()).toBe(1);
  });
});
