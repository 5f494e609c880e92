import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpiryStore } from './expiry-store';

const KEY = 'a'.repeat(32);
const saved = { expiresAt: new Date('2026-12-02T16:00:00Z'), maxExpiresAt: new Date('2026-12-02T18:00:00Z') };

describe('ExpiryStore', () => {
  it('keeps what is set across a reopen, and leaves no file once empty', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'expiry-')), 'nested', 'default.json');
    const store = await ExpiryStore.open(file);
    await store.set(KEY, saved);
    expect((await ExpiryStore.open(file)).get(KEY)).toEqual({ ...saved, unanswered: false });
    await store.retainOnly(new Set());
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('reads a damaged file as empty, and skips malformed entries', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'expiry-'));
    await writeFile(path.join(dir, 'bad.json'), '{not json');
    expect((await ExpiryStore.open(path.join(dir, 'bad.json'))).get(KEY)).toBeUndefined();
    await writeFile(path.join(dir, 'mixed.json'), JSON.stringify({ [KEY]: { expiresAt: 'soon', maxExpiresAt: 'later' }, '../etc': saved }));
    const store = await ExpiryStore.open(path.join(dir, 'mixed.json'));
    expect(store.get(KEY)).toBeUndefined();
    expect(store.get('../etc')).toBeUndefined();
  });

  it('keeps a session unanswered across a reopen until it is marked answered; an extension keeps the mark', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'expiry-')), 'default.json');
    const store = await ExpiryStore.open(file);
    await store.set(KEY, { ...saved, unanswered: true });
    expect((await ExpiryStore.open(file)).get(KEY)?.unanswered).toBe(true);
    await store.set(KEY, { ...saved, expiresAt: new Date('2026-12-02T16:30:00Z') });
    expect((await ExpiryStore.open(file)).get(KEY)?.unanswered).toBe(true);
    await store.markAnswered(KEY);
    expect((await ExpiryStore.open(file)).get(KEY)).toEqual({ ...saved, expiresAt: new Date('2026-12-02T16:30:00Z'), unanswered: false });
    // Marking a key it does not hold changes nothing.
    await store.markAnswered('b'.repeat(32));
    expect((await ExpiryStore.open(file)).get('b'.repeat(32))).toBeUndefined();
  });
});
