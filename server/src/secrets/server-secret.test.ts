import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateServerSecret } from './server-secret';

describe('the server secret', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is made once, readable by its owner only, and the same on the next start', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'secret-'));
    const file = path.join(dir, 'nested', 'secret');
    const first = await loadOrCreateServerSecret(file);
    expect(first.length).toBe(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateServerSecret(file)).equals(first)).toBe(true);
  });

  it('two servers starting at once agree on one secret', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'secret-'));
    const file = path.join(dir, 'secret');
    const [a, b] = await Promise.all([loadOrCreateServerSecret(file), loadOrCreateServerSecret(file)]);
    expect(a.equals(b)).toBe(true);
    expect((await readFile(file, 'utf8')).trim()).toBe(a.toString('hex'));
  });

  it('refuses a file it did not write, saying what to do', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'secret-'));
    const file = path.join(dir, 'secret');
    await writeFile(file, 'hunter2\n');
    await expect(loadOrCreateServerSecret(file)).rejects.toThrow(/remove it to make a new one/);
  });
});
