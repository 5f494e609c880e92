import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { Playground } from '../../src/main';
import { sandboxImageRef } from '../../src/sandbox/image-refs';
import { LABEL, MANAGED_BY, resourceNames, sessionLabels } from '../../src/sandbox/labels';
import { newSessionId, sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, labelledResources, startTestPlayground, TEST_PLAYGROUND_NAME, TestTerminal, waitFor } from './harness';

const sandboxImage = sandboxImageRef(loadConfig({}).repoRoot);

/** Plants what a crashed server would leave: a network, a volume and a container with our labels. */
async function plantSession(expiresAt: Date, createdAt: Date, readyLine: boolean): Promise<string> {
  const id = newSessionId();
  const key = sessionKey(id);
  const context = { owner: TEST_PLAYGROUND_NAME, sessionKey: key, expiresAt, createdAt };
  await docker.createNetwork({
    Name: resourceNames.network(key),
    Labels: sessionLabels(context, 'session-network'),
  });
  await docker.createVolume({
    Name: resourceNames.dockerVolume(key, 'node1'),
    Labels: sessionLabels(context, 'docker-data', 'node1'),
  });
  const container = await docker.createContainer({
    name: resourceNames.container(key, 'node1'),
    Image: sandboxImage,
    Entrypoint: ['sh', '-c', readyLine ? 'echo PLAYGROUND_SANDBOX_READY; exec sleep 600' : 'exec sleep 600'],
    Labels: sessionLabels(context, 'sandbox', 'node1'),
    HostConfig: { NetworkMode: resourceNames.network(key) },
  });
  await container.start();
  return id;
}

describe('expiry and the reaper against the real engine', () => {
  const playgrounds: Playground[] = [];
  afterAll(async () => {
    for (const playground of playgrounds) await playground.close({ removeSessions: true });
  });

  it('an expired session is removed with everything it made, and its terminal is told', async () => {
    const playground = await startTestPlayground({ SESSION_TTL: '8s', REAPER_INTERVAL: '500ms', PLAYGROUND_NAME: TEST_PLAYGROUND_NAME });
    playgrounds.push(playground);
    const session = await createSession(playground);
    const terminal = new TestTerminal(playground, session.id);
    await terminal.opened;
    const closed = await terminal.waitForClose(40_000);
    expect(closed.code).toBe(4410);
    await waitFor('session gone', async () => (await api(playground, 'GET', `/api/sessions/${session.id}`)).status === 404);
    await waitFor('resources gone', async () => {
      const left = await labelledResources(session.id);
      return left.containers + left.networks + left.volumes === 0;
    }, 20_000);
  });

  it('at start-up removes leftovers of expired or broken sessions and adopts live ones', async () => {
    const now = Date.now();
    const expired = await plantSession(new Date(now - 60_000), new Date(now - 3_600_000), true);
    const stale = await plantSession(new Date(now + 3_600_000), new Date(now - 3_600_000), false);
    await docker.getContainer(resourceNames.container(sessionKey(stale), 'node1')).stop({ t: 0 });
    const live = await plantSession(new Date(now + 3_600_000), new Date(now - 60_000), true);
    // A stray network carrying our labels but no valid expiry.
    const strayKey = sessionKey(newSessionId());
    await docker.createNetwork({
      Name: resourceNames.network(strayKey),
      Labels: { [LABEL.managedBy]: MANAGED_BY, [LABEL.owner]: TEST_PLAYGROUND_NAME, [LABEL.session]: strayKey, [LABEL.expiresAt]: 'not-a-date' },
    });

    const playground = await startTestPlayground({ PLAYGROUND_NAME: TEST_PLAYGROUND_NAME });
    playgrounds.push(playground);

    expect(await labelledResources(expired)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect(await labelledResources(stale)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect(await docker.listNetworks({ filters: { label: [`${LABEL.session}=${strayKey}`] } })).toEqual([]);

    const adopted = await api(playground, 'GET', `/api/sessions/${live}`);
    expect(adopted.status).toBe(200);
    expect(adopted.json.instances).toEqual([expect.objectContaining({ name: 'node1', state: expect.any(String) })]);
    expect((await api(playground, 'DELETE', `/api/sessions/${live}`)).status).toBe(204);
    expect(await labelledResources(live)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
