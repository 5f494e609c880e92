import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstanceDisks } from './instance-disks';
import { parseDiskSize } from './sandbox-limits';

describe('InstanceDisks.sweepOrphans', () => {
  it('deletes old images whose volume is gone, and keeps live and fresh ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'disks-'));
    const old = (Date.now() - 10 * 60_000) / 1000;
    for (const name of ['gone', 'live', 'fresh']) await writeFile(path.join(dir, `${name}.img`), '');
    await writeFile(path.join(dir, 'notes.txt'), '');
    await utimes(path.join(dir, 'gone.img'), old, old);
    await utimes(path.join(dir, 'live.img'), old, old);

    const disks = new InstanceDisks(dir, 1024 ** 3);
    expect(await disks.sweepOrphans(new Set(['live']))).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['fresh.img', 'live.img', 'notes.txt']);
  });

  it('is off at size 0', () => {
    expect(new InstanceDisks('/nowhere', 0).enabled).toBe(false);
  });
});

describe('parseDiskSize', () => {
  it('reads sizes like Docker and refuses ones nested Docker cannot live in', () => {
    expect(parseDiskSize('10g')).toBe(10 * 1024 ** 3);
    expect(parseDiskSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseDiskSize('0')).toBe(0);
    expect(() => parseDiskSize('100m')).toThrow(/at least 256m/);
    expect(() => parseDiskSize('ten')).toThrow(/not a size/);
  });
});
