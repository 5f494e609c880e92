import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, execIn, startTestPlayground } from './harness';

const MiB = 1024 ** 2;

function losetupAssociated(file: string): Promise<string> {
  return new Promise((resolve) => execFile('losetup', ['--associated', file], (_error, stdout) => resolve(String(stdout).trim())));
}

// SANDBOX_DISK: nested Docker's data lives on a size-limited file system per instance.
describe('the per-instance disk limit', () => {
  let playground: Playground;
  let diskDir: string;
  beforeAll(async () => {
    diskDir = await mkdtemp(path.join(tmpdir(), 'playground-disks-'));
    playground = await startTestPlayground({ SANDBOX_DISK: '512m', SANDBOX_DISK_DIR: diskDir });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('contains a disk filler: the instance runs out of space at its limit, the host does not, others keep working', async () => {
    const filler = await createSession(playground);
    const other = await createSession(playground);
    const image = path.join(diskDir, `${resourceNames.dockerVolume(sessionKey(filler.id), 'node1')}.img`);

    const size = await execIn(playground, filler.id, 'df -B1 --output=size /var/lib/docker | tail -1');
    expect(Number(size.stdout.trim())).toBeGreaterThan(400 * MiB);
    expect(Number(size.stdout.trim())).toBeLessThanOrEqual(512 * MiB);

    const fill = await execIn(playground, filler.id, 'dd if=/dev/zero of=/var/lib/docker/fill bs=1M count=700 2>&1; echo "exit=$?"', 120_000);
    expect(fill.stdout).toMatch(/No space left on device/);
    expect(fill.stdout).toMatch(/exit=1/);
    // What the host holds for the instance is bounded by the limit (the image is sparse).
    expect((await stat(image)).blocks * 512).toBeLessThanOrEqual(512 * MiB);

    // The full instance still answers, and so does another session.
    expect((await execIn(playground, filler.id, 'echo alive')).stdout.trim()).toBe('alive');
    expect((await execIn(playground, other.id, 'docker info --format "{{.ServerVersion}}" && echo ok')).stdout).toMatch(/ok/);

    // Freeing space works again.
    expect((await execIn(playground, filler.id, 'rm /var/lib/docker/fill && docker run --rm busybox echo room-again')).stdout).toContain('room-again');

    expect(await losetupAssociated(image)).toMatch(/^\/dev\/loop\d+/);
    expect((await api(playground, 'DELETE', `/api/sessions/${filler.id}`)).status).toBe(204);
    await expect(stat(image)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await losetupAssociated(image)).toBe('');
  });
});

// Admission: a new instance starts only when the disk holding the images has the space its limit
// promises. A small tmpfs stands in for a nearly full host disk.
describe('admission by disk space', () => {
  let playground: Playground;
  let diskDir: string;
  beforeAll(async () => {
    diskDir = await mkdtemp(path.join(tmpdir(), 'playground-small-disk-'));
    await new Promise<void>((resolve, reject) =>
      execFile('mount', ['-t', 'tmpfs', '-o', 'size=1200m,mode=0700', 'tmpfs', diskDir], (error) => (error ? reject(error) : resolve())),
    );
    playground = await startTestPlayground({ SANDBOX_DISK: '512m', SANDBOX_DISK_DIR: diskDir, SANDBOX_DISK_OVERCOMMIT: '1' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
    await new Promise<void>((resolve) => execFile('umount', [diskDir], () => resolve()));
  });

  it('refuses, in words, a Docker host whose disk the host could not hold, and makes nothing for it', async () => {
    const first = await createSession(playground);
    const second = await createSession(playground);
    const refused = await api(playground, 'POST', '/api/sessions');
    expect(refused.status).toBe(503);
    expect(refused.json.error.message).toMatch(/disk is too full for another Docker host: each gets 0\.5 GiB/);
    const extra = await api(playground, 'POST', `/api/sessions/${first.id}/instances`);
    expect(extra.status).toBe(503);
    // Only the two admitted instances' images exist; a closed session makes room again.
    expect((await readdir(diskDir)).filter((file) => file.endsWith('.img'))).toHaveLength(2);
    expect((await api(playground, 'DELETE', `/api/sessions/${second.id}`)).status).toBe(204);
    expect((await api(playground, 'POST', `/api/sessions/${first.id}/instances`)).status).toBe(201);
  });
});
