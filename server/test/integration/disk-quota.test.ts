import { execFile } from 'node:child_process';
import { readdir, stat, statfs } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { SESSION_REGISTRY_DISK_BYTES } from '../../src/docker/session-registry';
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
    ({ playground, diskDir } = await startWithSmallDisks());
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
// promises, on top of what the disks already there (instances' and session registries') may still
// grow by. A small tmpfs stands in for a nearly full host disk: room for two sessions (a registry
// disk and a 512 MiB instance disk each) and a new instance's 512 MiB, but not for a third instance.
const SMALL_DISK_MIB = (2 * (SESSION_REGISTRY_DISK_BYTES + 512 * MiB) + 256 * MiB) / MiB;
describe('admission by disk space', () => {
  let playground: Playground;
  let diskDir: string;
  beforeAll(async () => {
    diskDir = await mkdtemp(path.join(tmpdir(), 'playground-small-disk-'));
    await new Promise<void>((resolve, reject) =>
      execFile('mount', ['-t', 'tmpfs', '-o', `size=${SMALL_DISK_MIB}m,mode=0700`, 'tmpfs', diskDir], (error) => (error ? reject(error) : resolve())),
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
    // Only the two admitted sessions' images exist (an instance's and a registry's each): the refused
    // ones left nothing. A closed session makes room again.
    expect((await readdir(diskDir)).filter((file) => file.endsWith('.img'))).toHaveLength(4);
    expect((await api(playground, 'DELETE', `/api/sessions/${second.id}`)).status).toBe(204);
    expect((await api(playground, 'POST', `/api/sessions/${first.id}/instances`)).status).toBe(201);
  });
});

// Every byte a sandbox writes counts against its disk: the image's root is read-only, and the
// sandbox works in an overlay of it whose upper layer lives on the instance's own file system.
describe('every place a sandbox writes is on its own disk', () => {
  let playground: Playground;
  let diskDir: string;
  beforeAll(async () => {
    ({ playground, diskDir } = await startWithSmallDisks());
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  const places = ['/', '/root', '/tmp', '/var/tmp', '/etc', '/usr/local', '/var/log', '/run', '/home', '/var/lib/docker'];

  it('df shows the instance’s limit, not the host’s disk, wherever it is asked', async () => {
    const { id } = await createSession(playground);
    const sizes = await execIn(playground, id, `df -B1 --output=size ${places.join(' ')} | tail -n +2`);
    const values = sizes.stdout.trim().split('\n').map(Number);
    expect(values).toHaveLength(places.length);
    for (const size of values) {
      expect(size).toBeGreaterThan(400 * MiB);
      expect(size).toBeLessThanOrEqual(512 * MiB);
    }
  });

  it('a filler in /root runs out at the limit, after which every writable place is full too; the host does not fill; others keep working', async () => {
    const filler = await createSession(playground);
    const other = await createSession(playground);
    const image = path.join(diskDir, `${resourceNames.dockerVolume(sessionKey(filler.id), 'node1')}.img`);
    const hostFreeBefore = await hostFreeBytes();

    const fill = await execIn(playground, filler.id, 'dd if=/dev/zero of=/root/fill bs=1M count=2048 2>&1; echo "exit=$?"', 120_000);
    expect(fill.stdout).toMatch(/No space left on device/);
    expect(fill.stdout).toMatch(/exit=1/);
    // Each place refuses a write now: they are all on that one disk (Docker's /etc/hosts included).
    const writes = await execIn(
      playground,
      filler.id,
      [...places.filter((place) => place !== '/'), '/etc/hosts'].map((place) => {
        const target = place === '/etc/hosts' ? '/etc/hosts' : `${place}/more`;
        return `head -c 1048576 /dev/zero >> ${target} 2>/dev/null && echo "${place}=written" || echo "${place}=refused"`;
      }).join('; '),
    );
    expect(writes.stdout).not.toMatch(/=written/);
    expect(writes.stdout.match(/=refused/g)).toHaveLength(places.length);
    // The one writable place off the disk is memory: /dev/shm, bounded by its own size.
    const shm = await execIn(playground, filler.id, 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=200 2>&1; echo "exit=$?"; rm -f /dev/shm/fill');
    expect(shm.stdout).toMatch(/No space left on device/);

    // The host holds at most the limit for this instance, and its free space fell by no more.
    expect((await stat(image)).blocks * 512).toBeLessThanOrEqual(512 * MiB);
    expect(hostFreeBefore - (await hostFreeBytes())).toBeLessThan(512 * MiB + 128 * MiB);

    expect((await execIn(playground, filler.id, 'echo alive')).stdout.trim()).toBe('alive');
    expect((await execIn(playground, other.id, 'echo "x" > /root/note && cat /root/note && docker info --format ok')).stdout).toMatch(/x\s+ok/);

    // Freeing space makes every place writable again, and Docker inside works.
    const again = await execIn(playground, filler.id, 'rm /root/fill && echo fine > /etc/motd && cat /etc/motd && docker run --rm busybox echo room-again');
    expect(again.stdout).toContain('fine');
    expect(again.stdout).toContain('room-again');
  });

  it('keeps what was written in its root across a restart of the instance', async () => {
    const { id } = await createSession(playground);
    await execIn(playground, id, 'echo kept > /root/kept && echo kept > /etc/kept && mkdir -p /usr/local/share/kept');
    expect((await api(playground, 'POST', `/api/sessions/${id}/instances/node1/restart`)).status).toBe(200);
    const after = await execIn(playground, id, 'cat /root/kept /etc/kept && test -d /usr/local/share/kept && echo dir-kept');
    expect(after.stdout).toBe('kept\nkept\ndir-kept\n');
  });
});

async function hostFreeBytes(): Promise<number> {
  const disk = await statfs('/');
  return disk.bavail * disk.bsize;
}

/** A server whose instances get 512 MiB disks, in a folder of their own (so the test sees only its images). */
async function startWithSmallDisks(): Promise<{ playground: Playground; diskDir: string }> {
  const diskDir = await mkdtemp(path.join(tmpdir(), 'playground-disks-'));
  return { playground: await startTestPlayground({ SANDBOX_DISK: '512m', SANDBOX_DISK_DIR: diskDir }), diskDir };
}
