import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, createSession, execIn, startTestPlayground } from './harness';

// Rules a killed server (or an older version) left for a bridge that is gone must not break the
// next session that gets the same subnet: they match by source subnet and dropped even the traffic
// between a session's own containers (its registry, the mirror). Seen on this machine: every
// nested `docker run` then failed.

function iptables(args: string[]): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => execFile('iptables', ['-w', '5', ...args], (error, stdout) => resolve({ ok: !error, stdout })));
}

// One /26 of its own, so the session surely gets the subnet the stale rule names.
const SUBNET = '10.89.251.0/26';
const GONE_BRIDGE = 'pg0123456789abc';
const STALE_RULE = ['-s', SUBNET, '!', '-i', GONE_BRIDGE, '-m', 'comment', '--comment', GONE_BRIDGE, '-j', 'DROP'];

describe('rules left for a bridge that is gone', () => {
  let playground: Playground | undefined;
  afterAll(async () => {
    await iptables(['-t', 'mangle', '-D', 'FORWARD', ...STALE_RULE]);
    await playground?.close({ removeSessions: true });
  });

  it('are removed before a session gets their subnet, so its containers reach each other', async () => {
    playground = await startTestPlayground({ EGRESS_POLICY: 'internet', SESSION_SUBNETS: SUBNET, SESSION_SUBNET_PREFIX: '26' });
    // Planted after start-up (which sweeps them too), as a neighbour killed meanwhile would leave it.
    expect((await iptables(['-t', 'mangle', '-I', 'FORWARD', '1', ...STALE_RULE])).ok).toBe(true);

    const { id } = await createSession(playground);
    const info = await api(playground, 'GET', `/api/sessions/${id}`);
    expect(info.json.instances[0].ip).toMatch(/^10\.89\.251\./);
    expect((await iptables(['-t', 'mangle', '-S', 'FORWARD'])).stdout).not.toContain(GONE_BRIDGE);
    // The session's own registry, on its network: it answers (401 asks for the login).
    const reached = await execIn(playground, id, 'timeout 10 curl -s -o /dev/null -w "%{http_code}" http://registry:5000/v2/');
    expect(reached.stdout).toBe('401');
  });
});
