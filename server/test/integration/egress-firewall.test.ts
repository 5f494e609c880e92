import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, execIn, startTestPlayground } from './harness';

// The egress firewall: rules are checked by reading them (no traffic to addresses outside this
// machine); reaching the host's own services is tried for real against a listener of this test.

function iptablesList(chain: string, table = 'filter'): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('iptables', ['-w', '5', '-t', table, '-S', chain], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}

/** The host's address on a session's network (its bridge's gateway): a host service a sandbox could try. */
async function gatewayOf(id: string): Promise<string> {
  const network = await docker.getNetwork(resourceNames.network(sessionKey(id))).inspect();
  return network.IPAM?.Config?.[0]?.Gateway ?? '';
}

/** From inside node1: does a TCP connection to host:port open within 4 s? */
async function connects(playground: Playground, id: string, host: string, port: number): Promise<boolean> {
  const result = await execIn(playground, id, `timeout 4 bash -c 'exec 3<>/dev/tcp/${host}/${port}' && echo OPEN || echo CLOSED`);
  return result.stdout.includes('OPEN');
}

describe('the egress firewall', () => {
  let guarded: Playground;
  let open: Playground;
  let hostService: Server;
  let hostPort = 0;
  let accepted = 0;

  beforeAll(async () => {
    guarded = await startTestPlayground({ EGRESS_POLICY: 'internet' });
    open = await startTestPlayground({ EGRESS_POLICY: 'off' });
    hostService = createServer((socket) => {
      accepted++;
      socket.end();
    });
    await new Promise<void>((resolve) => hostService.listen(0, '0.0.0.0', resolve));
    hostPort = (hostService.address() as { port: number }).port;
  });
  afterAll(async () => {
    hostService?.close();
    await guarded?.close({ removeSessions: true });
    await open?.close({ removeSessions: true });
  });

  it('installs drop rules for private, link-local and metadata ranges, and hooks each session’s bridge while it lives', async () => {
    const { id } = await createSession(guarded);
    const bridge = resourceNames.bridge(sessionKey(id));
    // The policy chains are named after a digest of their rules (neighbours never rewrite them).
    const forwardChain = new RegExp(`-A FORWARD -i ${bridge} ! -o ${bridge} -j (PLAYGROUND-FWD-[0-9a-f]{8})`).exec(await iptablesList('FORWARD', 'mangle'))?.[1];
    const inputChain = new RegExp(`-A INPUT -i ${bridge} -j (PLAYGROUND-IN-[0-9a-f]{8})`).exec(await iptablesList('INPUT'))?.[1];
    expect(forwardChain).toBeDefined();
    expect(inputChain).toBeDefined();
    const forward = await iptablesList(forwardChain!, 'mangle');
    expect(forward).toContain(`-A ${forwardChain} -o pg+ -j DROP`);
    for (const range of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10']) {
      expect(forward).toContain(`-A ${forwardChain} -d ${range} -j DROP`);
    }
    expect(await iptablesList(inputChain!)).toContain(`-A ${inputChain} -j DROP`);
    // By source as well, named by the bridge so that it goes with the session.
    expect(await iptablesList('INPUT')).toMatch(new RegExp(`-A INPUT -s [\\d./]+ -m comment --comment ${bridge} -j ${inputChain}`));
    expect(await iptablesList('FORWARD', 'mangle')).toMatch(new RegExp(`-A FORWARD -s [\\d./]+ ! -i ${bridge} -m comment --comment ${bridge} -j ${forwardChain}`));

    expect((await api(guarded, 'DELETE', `/api/sessions/${id}`)).status).toBe(204);
    expect(await iptablesList('FORWARD', 'mangle')).not.toContain(bridge);
    expect(await iptablesList('INPUT')).not.toContain(bridge);
  });

  it('keeps a sandbox from the host’s own services while the mirror stays reachable', async () => {
    const { id } = await createSession(guarded);
    const gateway = await gatewayOf(id);
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const before = accepted;
    expect(await connects(guarded, id, gateway, hostPort)).toBe(false);
    expect(accepted).toBe(before);
    // Inside the session network: the registry mirror answers.
    expect(await connects(guarded, id, 'registry-mirror', 5000)).toBe(true);
  });

  it('is what stops it: a session of a server with EGRESS_POLICY=off does reach the same service', async () => {
    const { id } = await createSession(open);
    const gateway = await gatewayOf(id);
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const before = accepted;
    expect(await connects(open, id, gateway, hostPort)).toBe(true);
    expect(accepted).toBeGreaterThan(before);
  });
});
