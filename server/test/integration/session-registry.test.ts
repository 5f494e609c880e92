import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_DISK_DIR } from '../../src/sandbox/instance-disks';
import { resourceNames } from '../../src/sandbox/labels';
import { SESSION_REGISTRY_DISK_BYTES } from '../../src/docker/session-registry';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, execIn, labelledResources, startTestPlayground } from './harness';

// Each session's own registry: registry:5000 on its network, htpasswd login, gone with the session.
describe('the session registry', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('takes a push after docker login and gives it back to another instance; a wrong password is refused', async () => {
    const session = await createSession(playground);
    const { host, username, password } = session.registry;
    expect(host).toBe('registry:5000');
    expect((await api(playground, 'POST', `/api/sessions/${session.id}/instances`)).status).toBe(201);

    const wrong = await execIn(playground, session.id, `docker login ${host} -u ${username} -p not-the-password 2>&1; echo "exit=$?"`);
    expect(wrong.stdout).toMatch(/unauthorized|401/i);
    expect(wrong.stdout).toMatch(/exit=1/);

    const pushed = await execIn(
      playground,
      session.id,
      `docker login ${host} -u ${username} -p '${password}' >/dev/null 2>&1 && docker pull -q busybox >/dev/null && docker tag busybox ${host}/mine:v1 && docker push -q ${host}/mine:v1 2>&1; echo "exit=$?"`,
    );
    expect(pushed.stdout).toMatch(/exit=0/);

    const pulled = await execIn(
      playground,
      session.id,
      `docker login ${host} -u ${username} -p '${password}' >/dev/null 2>&1 && docker pull -q ${host}/mine:v1 && docker run --rm ${host}/mine:v1 echo pulled-on-node2`,
      120_000,
      'node2',
    );
    expect(pulled.stdout).toContain('pulled-on-node2');

    // What is pushed lands on a size-limited file system of the session's own, not the host's disk.
    const volume = resourceNames.registryVolume(sessionKey(session.id));
    const options = (await docker.getVolume(volume).inspect()).Options ?? {};
    expect(options.device).toMatch(/^\/dev\/loop\d+$/);
    expect(options.type).toBe('ext4');
    expect((await stat(path.join(DEFAULT_DISK_DIR, `${volume}.img`))).size).toBe(SESSION_REGISTRY_DISK_BYTES);

    // Another session has a registry of its own, where this image does not exist.
    const other = await createSession(playground);
    expect(other.registry.password).not.toBe(password);
    const elsewhere = await execIn(
      playground,
      other.id,
      `docker login ${host} -u ${other.registry.username} -p '${other.registry.password}' >/dev/null 2>&1; docker pull ${host}/mine:v1 2>&1; echo "exit=$?"`,
    );
    expect(elsewhere.stdout).toMatch(/not found|manifest unknown/i);
    expect(elsewhere.stdout).toMatch(/exit=1/);

    expect((await api(playground, 'DELETE', `/api/sessions/${session.id}`)).status).toBe(204);
    expect(await labelledResources(session.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
