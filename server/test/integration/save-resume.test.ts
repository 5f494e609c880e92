import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { apiPaths } from '../../src/protocol/api-paths';
import type { SavedSessionInfo, SessionInfo } from '../../src/protocol/api-types';
import { api, createSession, execIn, startTestPlayground, waitFor } from './harness';

// Save, resume, fork against the real engine: what a session made on its instances (an image it
// built, a volume, files, a second instance) is there in a new session started from the save, and
// two sessions started from one save go their own ways. Quota and expiry on a playground of their own.

/** Runs a script once the instance answers (a resumed instance starts like any other). */
async function execWhenReady(playground: Playground, id: string, script: string, instance = 'node1') {
  return waitFor(`${instance} to answer`, async () => {
    const result = await execIn(playground, id, script, 120_000, instance).catch(() => undefined);
    return result && result.exitCode === 0 ? result : undefined;
  }, 120_000);
}

async function startFrom(playground: Playground, saved: string): Promise<SessionInfo> {
  const created = await api(playground, 'POST', apiPaths.sessions, { saved });
  expect(created.status, created.text).toBe(201);
  return created.json as SessionInfo;
}

describe('save, resume, fork', () => {
  let playground: Playground;
  let limited: Playground;
  const folders: string[] = [];

  beforeAll(async () => {
    const [savedDir, limitedDir] = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'saved-')), mkdtemp(path.join(os.tmpdir(), 'saved-'))]);
    folders.push(savedDir, limitedDir);
    [playground, limited] = await Promise.all([
      startTestPlayground({ SAVED_DIR: savedDir }),
      startTestPlayground({ SAVED_DIR: limitedDir, SAVE_QUOTA: '256m', SAVE_TTL: '4s' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([playground?.close({ removeSessions: true }), limited?.close({ removeSessions: true })]);
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('a resumed session has the image built, the volume filled and the files written before the save, on every instance', async () => {
    const original = await createSession(playground);
    await execWhenReady(
      playground,
      original.id,
      [
        'printf "FROM busybox\\nRUN echo built-before-save > /marker\\nCMD cat /marker\\n" | docker build -q -t saved-image:1 -',
        'docker volume create notes >/dev/null',
        'docker run --rm -v notes:/notes busybox sh -c "echo in-the-volume > /notes/file"',
        'echo written-before-save > /root/hello.txt',
        'docker run -d --restart unless-stopped --name kept-running busybox sleep 100000 >/dev/null',
      ].join(' && '),
    );
    expect((await api(playground, 'POST', apiPaths.instances(original.id))).status).toBe(201);
    await execWhenReady(playground, original.id, 'echo on-node2 > /root/node2.txt', 'node2');

    const saving = await api(playground, 'POST', apiPaths.save(original.id));
    expect(saving.status, saving.text).toBe(201);
    const saved = saving.json as SavedSessionInfo;
    expect(saved).toMatchObject({ instances: ['node1', 'node2'], link: `/?saved=${saved.id}` });
    expect(saved.bytes).toBeGreaterThan(1024 * 1024);
    expect((await api(playground, 'GET', apiPaths.saved(saved.id))).json).toEqual(saved);
    // The session was paused for the copy only: it goes on.
    expect((await execIn(playground, original.id, 'cat /root/hello.txt')).stdout).toBe('written-before-save\n');

    const resumed = await startFrom(playground, saved.id);
    expect(resumed.id).not.toBe(original.id);
    const inside = await execWhenReady(playground, resumed.id, 'docker run --rm saved-image:1; docker run --rm -v notes:/notes busybox cat /notes/file; cat /root/hello.txt');
    expect(inside.stdout).toBe('built-before-save\nin-the-volume\nwritten-before-save\n');
    // A container with a restart policy runs again, as after a reboot.
    const running = await waitFor('the restart-policy container to run again', async () => {
      const names = (await execIn(playground, resumed.id, 'docker ps --format "{{.Names}}"')).stdout;
      return names.includes('kept-running') ? names : undefined;
    }, 60_000);
    expect(running).toContain('kept-running');
    const second = await waitFor('node2 of the resumed session', async () => {
      const info = (await api(playground, 'GET', apiPaths.session(resumed.id))).json as SessionInfo;
      return info.instances.some((instance) => instance.name === 'node2');
    }, 60_000);
    expect(second).toBe(true);
    expect((await execWhenReady(playground, resumed.id, 'cat /root/node2.txt', 'node2')).stdout).toBe('on-node2\n');
  });

  it('two sessions forked from one save go their own ways, and the saved one stays as it was', async () => {
    const original = await createSession(playground);
    await execWhenReady(playground, original.id, 'echo base > /root/state');
    const saved = (await api(playground, 'POST', apiPaths.save(original.id))).json as SavedSessionInfo;
    const [first, second] = await Promise.all([startFrom(playground, saved.id), startFrom(playground, saved.id)]);
    await execWhenReady(playground, first.id, 'echo first >> /root/state');
    await execWhenReady(playground, second.id, 'echo second >> /root/state; docker volume create only-in-second >/dev/null');
    expect((await execIn(playground, first.id, 'cat /root/state; docker volume ls -q')).stdout).toBe('base\nfirst\n');
    expect((await execIn(playground, second.id, 'cat /root/state; docker volume ls -q')).stdout).toBe('base\nsecond\nonly-in-second\n');
    expect((await execIn(playground, original.id, 'cat /root/state')).stdout).toBe('base\n');
    // A third start still finds the save as it was made.
    const third = await startFrom(playground, saved.id);
    expect((await execWhenReady(playground, third.id, 'cat /root/state')).stdout).toBe('base\n');
  });

  it('unknown and hostile saved ids are 404 in words, and make no session', async () => {
    const before = playground.sessions.list().length;
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '..%2F..%2Fetc', 'x'.repeat(300)]) {
      const started = await api(playground, 'POST', apiPaths.sessions, { saved: decodeURIComponent(id) });
      expect(started.status).toBe(404);
      expect(started.json.error).toMatchObject({ code: 'saved_not_found', message: expect.stringMatching(/no saved session/) });
      expect((await api(playground, 'GET', `/api/saved/${id}`)).status).toBe(404);
    }
    expect((await api(playground, 'POST', apiPaths.sessions, { saved: 42 })).status).toBe(400);
    expect(playground.sessions.list().length).toBe(before);
  });

  it('saves stop at SAVE_QUOTA with a 507 in words, keeping nothing of the refused one; past SAVE_TTL a save is gone', async () => {
    const session = await createSession(limited);
    // 100 MB that do not compress or sparsify: 256 MiB holds two saves of it, never three.
    await execWhenReady(limited, session.id, 'head -c 100000000 /dev/urandom > /root/big && sync');
    const kept: SavedSessionInfo[] = [];
    let refused: { status: number; json: any } | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      const attempt = await api(limited, 'POST', apiPaths.save(session.id));
      if (attempt.status === 201) kept.push(attempt.json as SavedSessionInfo);
      else refused = attempt;
    }
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.every((saved) => saved.bytes >= 100_000_000)).toBe(true);
    expect(refused?.status).toBe(507);
    expect(refused?.json.error).toMatchObject({ code: 'save_quota', message: expect.stringMatching(/SAVE_QUOTA/) });
    const total = kept.reduce((sum, saved) => sum + saved.bytes, 0);
    expect(total).toBeLessThanOrEqual(256 * 1024 ** 2);
    const dir = folders[1]!;
    expect((await readdir(dir)).sort()).toEqual(kept.map((saved) => saved.id).sort());

    // SAVE_TTL=4s: from then on the link is gone, and the sweep removes its files.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect((await api(limited, 'GET', apiPaths.saved(kept[0]!.id))).status).toBe(404);
    expect((await api(limited, 'POST', apiPaths.sessions, { saved: kept[0]!.id })).status).toBe(404);
    await limited.saving.sweep();
    expect(await readdir(dir)).toEqual([]);
  });
});
