import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, execIn, startTestPlayground, waitFor } from './harness';

// The swarm templates: a session whose nodes already form a swarm.
describe('swarm templates', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('refuses an unknown template with the known ones named', async () => {
    const { status, json } = await api(playground, 'POST', '/api/sessions', { template: 'swarm-9m' });
    expect(status).toBe(400);
    expect(json.error.message).toMatch(/Unknown template "swarm-9m": use one of swarm-3m2w, swarm-1m1w/);
    expect(playground.sessions.usage().sessions).toBe(0);
  });

  it('swarm-3m2w: five Ready nodes, three of them managers, with an overlay network across them', async () => {
    const created = await api(playground, 'POST', '/api/sessions', { template: 'swarm-3m2w' });
    expect(created.status).toBe(201);
    expect(created.json.template).toMatchObject({ name: 'swarm-3m2w', state: 'assembling' });
    const id: string = created.json.id;

    const done = await waitFor(
      'the swarm to be assembled',
      async () => {
        const { json } = await api(playground, 'GET', `/api/sessions/${id}`);
        return json.template.state === 'assembling' ? false : json;
      },
      300_000,
    );
    expect(done.template).toMatchObject({ state: 'ready', message: 'A swarm of 3 managers and 2 workers is ready' });
    expect(done.instances.map((instance: { name: string }) => instance.name).sort()).toEqual(['node1', 'node2', 'node3', 'node4', 'node5']);

    const nodes = await execIn(playground, id, "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'");
    const lines = nodes.stdout.trim().split('\n').sort();
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => / Ready/.test(line))).toBe(true);
    expect(lines.filter((line) => /Leader|Reachable/.test(line))).toHaveLength(3);
    expect(lines.filter((line) => /^node[45] Ready\s*$/.test(line))).toHaveLength(2);

    // VXLAN overlay between hosts: a container on node4 answers one on node1 by name.
    expect((await execIn(playground, id, 'docker network create -d overlay --attachable ov >/dev/null && echo ok')).stdout).toContain('ok');
    expect((await execIn(playground, id, 'docker run -d --name far --network ov busybox sleep 300 >/dev/null && echo ok', 120_000, 'node4')).stdout).toContain('ok');
    // The peers learn each other's tunnel endpoints by gossip: allow it a few seconds (bounded).
    const ping = await execIn(playground, id, 'docker run --rm --network ov busybox sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do ping -c1 -W2 far && exit 0; done; exit 1"');
    expect(ping.exitCode).toBe(0);
    expect(ping.stdout).toMatch(/1 packets transmitted, 1 packets received/); // busybox's wording
  });
});
