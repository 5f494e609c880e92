import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { LABEL } from '../../src/sandbox/labels';
import { api, createSession, docker, execIn, labelledResources, startTestPlayground, TestTerminal, PROMPT, waitFor } from './harness';

/** Names of warm-pool containers of these session keys (other servers on the engine have their own). */
async function pooledContainers(keys: string[]): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL.session] } });
  return containers
    .filter((c) => keys.includes(c.Labels[LABEL.session] ?? ''))
    .flatMap((c) => c.Names)
    .filter((name) => name.startsWith('/playground-pool-'));
}

describe('the warm pool against the real engine', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground({ WARM_POOL: '1' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('hands a ready sandbox to a new session, renamed to the session, then refills', async () => {
    await waitFor('a warm sandbox', async () => playground.pool.readyCount === 1, 60_000);
    const session = await createSession(playground);
    expect(session.instances[0]).toMatchObject({ name: 'node1', state: 'running' });
    const [container] = await docker.listContainers({
      filters: { label: [`${LABEL.session}=${playground.sessions.list()[0]!.key}`, `${LABEL.role}=sandbox`] },
    });
    expect(container?.Names[0]).toMatch(/^\/playground-[0-9a-f]+-node1$/);

    const terminal = new TestTerminal(playground, session.id);
    await terminal.waitForOutput(PROMPT, 10_000);
    expect(terminal.plain()).not.toMatch(/Starting Docker/);
    // The shell was opened while the sandbox waited in the pool: the prompt came as replay.
    const attached = terminal.messages[0];
    expect(attached?.type === 'attached' && attached.replayBytes).toBeGreaterThan(0);
    terminal.close();
    expect((await execIn(playground, session.id, 'docker run --rm busybox echo warm-ok')).stdout.trim()).toBe('warm-ok');

    await waitFor('the pool refilled', async () => playground.pool.readyCount === 1, 60_000);
    expect((await api(playground, 'DELETE', `/api/sessions/${session.id}`)).status).toBe(204);
    expect(await labelledResources(session.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('removes its sandboxes when the server closes', async () => {
    const keys = playground.pool.keys();
    expect(await pooledContainers(keys)).toHaveLength(1);
    await playground.close();
    expect(await pooledContainers(keys)).toEqual([]);
  });
});
