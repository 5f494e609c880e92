import { afterAll, describe, expect, it } from 'vitest';
import { parseCidr, overlaps } from '../../src/addresses/subnet-pool';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, startTestPlayground } from './harness';

// The address plan (README: "Addresses") and neighbours on one engine (PLAYGROUND_NAME), against
// the real engine. The ranges here are apart from the default one, which other suites' sessions use.

async function subnetOf(id: string): Promise<string> {
  const network = await docker.getNetwork(resourceNames.network(sessionKey(id))).inspect();
  return network.IPAM?.Config?.[0]?.Subnet ?? '';
}

describe('address plan', () => {
  const started: Playground[] = [];
  afterAll(async () => {
    for (const playground of started) await playground.close({ removeSessions: true });
  });

  it('carves session networks from SESSION_SUBNETS, says in words when it is full, and reuses what an ended session freed', async () => {
    // Room for two sessions: 10.88.250.0/25 in /26 blocks.
    const playground = await startTestPlayground({ SESSION_SUBNETS: '10.88.250.0/25', SESSION_SUBNET_PREFIX: '26' });
    started.push(playground);
    const first = await createSession(playground);
    const second = await createSession(playground);
    const firstSubnet = await subnetOf(first.id);
    const subnets = [firstSubnet, await subnetOf(second.id)].sort();
    expect(subnets).toEqual(['10.88.250.0/26', '10.88.250.64/26']);
    // Sandboxes get their addresses there, and the nested engines' own docker0 (172.17.0.0/16) is apart.
    expect(first.instances[0]!.ip).toMatch(/^10\.88\.250\.\d+$/);
    expect(overlaps(parseCidr(subnets[0]!)!, parseCidr('172.17.0.0/16')!)).toBe(false);

    const full = await api(playground, 'POST', '/api/sessions', {});
    expect(full.status).toBe(503);
    expect(full.json.error.code).toBe('addresses_exhausted');
    expect(full.json.error.message).toMatch(/no network addresses left .* 10\.88\.250\.0\/25 holds 2 sessions/);
    // Nothing of the refused session is left: still exactly two sessions' networks in the range.
    expect(playground.sessions.usage().sessions).toBe(2);

    expect((await api(playground, 'DELETE', `/api/sessions/${first.id}`)).status).toBe(204);
    const third = await createSession(playground);
    expect(await subnetOf(third.id)).toBe(firstSubnet);
  });

  it('refuses to start when SESSION_SUBNETS overlaps a network of this host', async () => {
    // docker0 (172.17.0.0/16) exists wherever the engine runs.
    await expect(startTestPlayground({ SESSION_SUBNETS: '172.16.0.0/12' })).rejects.toThrow(/SESSION_SUBNETS=172\.16\.0\.0\/12 overlaps .*172\.17\.0\.0\/16 on docker0/);
  });
});

describe('neighbours on one engine', () => {
  const started: Playground[] = [];
  afterAll(async () => {
    for (const playground of started) await playground.close({ removeSessions: true });
  });

  it('a second playground neither adopts, counts nor sweeps the first one’s sessions, and is not full because of them', async () => {
    const first = await startTestPlayground({ PLAYGROUND_NAME: `neighbour-a-${process.pid}`, SESSION_SUBNETS: '10.88.251.0/24' });
    started.push(first);
    const session = await createSession(first);

    // The second, with room for one session, starts (its start-up sweep runs) while the first's session lives.
    const second = await startTestPlayground({ PLAYGROUND_NAME: `neighbour-b-${process.pid}`, SESSION_SUBNETS: '10.88.252.0/24', MAX_SESSIONS: '1', REAPER_INTERVAL: '60s' });
    started.push(second);
    expect(second.sessions.usage()).toEqual({ sessions: 0, instances: 0 });
    expect((await api(second, 'GET', `/api/sessions/${session.id}`)).status).toBe(404);
    const own = await createSession(second);
    expect(own.id).not.toBe(session.id);

    // A periodic sweep of the second (every tick at this interval) leaves the first's session alone.
    await second.reaper.tick();
    const stillThere = await api(first, 'POST', `/api/sessions/${session.id}/instances/node1/exec`, { cmd: ['true'] });
    expect(stillThere.status).toBe(200);
    expect(first.sessions.usage()).toEqual({ sessions: 1, instances: 1 });
  });
});
