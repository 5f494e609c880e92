import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScreenStore } from './screen-store';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);

describe('ScreenStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'screens-'));
    dirs.push(dir);
    return path.join(dir, 'screens', 'test');
  }

  it('keeps a screen across a reopen of the same directory (a restarted server)', async () => {
    const dir = await tempDir();
    const first = await ScreenStore.open(dir);
    await first.save({ sessionKey: KEY_A, instance: 'node1', n: 1 }, Buffer.from('[node1] ~ # sleep 1000 &\r\n'));
    await first.save({ sessionKey: KEY_A, instance: 'node1', n: 3 }, Buffer.from('third'));

    const second = await ScreenStore.open(dir);
    expect((await second.load({ sessionKey: KEY_A, instance: 'node1', n: 1 }))?.toString()).toBe('[node1] ~ # sleep 1000 &\r\n');
    expect(second.numbersOf(KEY_A, 'node1')).toEqual([1, 3]);
    expect(second.numbersOf(KEY_A, 'node2')).toEqual([]);
    expect(await second.load({ sessionKey: KEY_A, instance: 'node1', n: 2 })).toBeUndefined();
  });

  it('a later save replaces the screen, and a removal wins over a save made before it', async () => {
    const dir = await tempDir();
    const store = await ScreenStore.open(dir);
    const address = { sessionKey: KEY_A, instance: 'node1', n: 1 };
    void store.save(address, Buffer.from('old'));
    void store.save(address, Buffer.from('new'));
    expect((await store.load(address))?.toString()).toBe('new');
    void store.save(address, Buffer.from('again'));
    await store.remove(address);
    expect(await store.load(address)).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('forgets instances, sessions and sessions that are no longer live', async () => {
    const dir = await tempDir();
    const store = await ScreenStore.open(dir);
    for (const [sessionKey, instance, n] of [
      [KEY_A, 'node1', 1],
      [KEY_A, 'node2', 1],
      [KEY_B, 'node1', 2],
    ] as const) {
      await store.save({ sessionKey, instance, n }, Buffer.from('x'));
    }
    await store.removeInstance(KEY_A, 'node2');
    expect(store.numbersOf(KEY_A, 'node2')).toEqual([]);
    expect(store.numbersOf(KEY_A, 'node1')).toEqual([1]);
    await store.retainOnly(new Set([KEY_B]));
    expect(store.numbersOf(KEY_A, 'node1')).toEqual([]);
    expect(store.numbersOf(KEY_B, 'node1')).toEqual([2]);
    await store.removeSession(KEY_B);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never writes outside its directory, and leaves files that are not screens alone', async () => {
    const dir = await tempDir();
    const store = await ScreenStore.open(dir);
    await store.save({ sessionKey: '../../etc', instance: 'node1', n: 1 }, Buffer.from('x'));
    await store.save({ sessionKey: KEY_A, instance: '../node1', n: 1 }, Buffer.from('x'));
    await store.save({ sessionKey: KEY_A, instance: 'node1', n: 0 }, Buffer.from('x'));
    await expect(readdir(dir)).rejects.toThrow();
    await store.save({ sessionKey: KEY_A, instance: 'node1', n: 1 }, Buffer.from('x'));
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const reopened = await ScreenStore.open(dir);
    await reopened.retainOnly(new Set());
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('none() keeps nothing', async () => {
    const store = ScreenStore.none();
    await store.save({ sessionKey: KEY_A, instance: 'node1', n: 1 }, Buffer.from('x'));
    expect(await store.load({ sessionKey: KEY_A, instance: 'node1', n: 1 })).toBeUndefined();
    expect(store.numbersOf(KEY_A, 'node1')).toEqual([]);
  });
});
