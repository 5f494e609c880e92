import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, execIn, startTestPlayground, waitFor } from './harness';
import { addressOn, connects, LAN_ADDRESS, LAN_ADDRESS6, LAN_PORT, LanStandIn, mustRun, routeLanVia, sh } from './lan-stand-in';

// Ways out of a session that do not go straight through its bridge: routing through a container on
// the session network (the shared mirror, a container that forwards, another instance), and IPv6.
// Every target is a listener this test made on this machine: a network namespace standing in for
// the operator's LAN (10.99.0.2 and fd99::2 behind the host's 10.99.0.1 and fd99::1), and a
// listener on the host's [::]. Each path is tried from a guarded server (EGRESS_POLICY=internet),
// where the listener must count no connection, and from a server with the firewall off, where the
// same commands connect: so a zero is never the test's own fault.

const FORWARDER = 'pgtest-forwarder';

/** A container of the test's own that forwards packets, on the default bridge and the session network: what a shared container was. */
async function startForwarder(playground: Playground, id: string): Promise<Docker.Container> {
  await docker.getContainer(FORWARDER).remove({ force: true }).catch(() => undefined);
  const image = (await docker.getContainer(resourceNames.container(sessionKey(id), 'node1')).inspect()).Config.Image;
  const container = await docker.createContainer({
    name: FORWARDER,
    Image: image,
    Entrypoint: ['sleep', 'infinity'],
    HostConfig: { Sysctls: { 'net.ipv4.ip_forward': '1' }, CapDrop: ['ALL'] },
  });
  await container.start();
  await docker.getNetwork(resourceNames.network(sessionKey(id))).connect({ Container: FORWARDER, EndpointConfig: { Aliases: ['forwarder'] } });
  return container;
}

/** The host's link-local address on a bridge: the one it has, or the one it would have (EUI-64 of its MAC) when IPv6 is off there. */
async function bridgeLinkLocal(bridge: string): Promise<string> {
  const shown = await sh(`ip -6 addr show dev ${bridge} scope link`);
  const found = /inet6 (fe80::[0-9a-f:]+)\//.exec(shown)?.[1];
  if (found) return found;
  const mac = (await readFile(`/sys/class/net/${bridge}/address`, 'utf8')).trim().split(':').map((part) => parseInt(part, 16));
  mac[0] = mac[0]! ^ 0x02;
  const bytes = [...mac.slice(0, 3), 0xff, 0xfe, ...mac.slice(3)];
  const groups = [0, 2, 4, 6].map((i) => ((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `fe80::${groups.join(':')}`;
}

/** Turns IPv6 on in node1, as root there can, and waits until its link-local address is usable. */
async function enableIpv6(playground: Playground, id: string): Promise<void> {
  await mustRun(
    playground,
    id,
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0 && for i in $(seq 40); do ip -6 addr show dev eth0 scope link | grep -q inet6 && ! ip -6 addr show dev eth0 | grep -q tentative && exit 0; sleep 0.25; done; exit 1',
  );
}

describe('ways out of a session through other containers and IPv6', () => {
  let guarded: Playground;
  let open: Playground;
  const lan = new LanStandIn();
  let hostService: Server;
  let hostPort = 0;
  let hostConnections = 0;
  let ipv6ForwardingBefore = '';

  beforeAll(async () => {
    await lan.start();
    hostService = createServer((socket) => {
      hostConnections++;
      socket.end();
    });
    await new Promise<void>((resolve) => hostService.listen(0, '::', resolve));
    hostPort = (hostService.address() as { port: number }).port;
    guarded = await startTestPlayground({ EGRESS_POLICY: 'internet' });
    open = await startTestPlayground({ EGRESS_POLICY: 'off' });
  });
  afterAll(async () => {
    await docker.getContainer(FORWARDER).remove({ force: true }).catch(() => undefined);
    if (ipv6ForwardingBefore) await writeFile('/proc/sys/net/ipv6/conf/all/forwarding', ipv6ForwardingBefore);
    hostService?.close();
    await lan.stop();
    await guarded?.close({ removeSessions: true });
    await open?.close({ removeSessions: true });
  });

  it('the LAN stand-in is out of reach directly, and reached with the firewall off', async () => {
    const a = await createSession(guarded);
    const b = await createSession(open);
    const before = lan.connections;
    expect(await connects(guarded, a.id, LAN_ADDRESS, LAN_PORT)).toBe(false);
    expect(lan.connections).toBe(before);
    expect(await connects(open, b.id, LAN_ADDRESS, LAN_PORT)).toBe(true);
    expect(lan.connections).toBeGreaterThan(before);
  });

  it('through the shared registry mirror: it does not forward, so nothing arrives, firewall or not', async () => {
    for (const playground of [guarded, open]) {
      const { id } = await createSession(playground);
      await routeLanVia(playground, id, await addressOn(playground, id, 'registry-mirror'));
      const before = lan.connections;
      expect(await connects(playground, id, LAN_ADDRESS, LAN_PORT)).toBe(false);
      expect(lan.connections).toBe(before);
    }
    const mirror = await docker.getContainer('playground-registry').inspect();
    expect(mirror.HostConfig.Sysctls?.['net.ipv4.ip_forward']).toBe('0');
    const forwarding = await sh(`nsenter --net=/proc/${mirror.State.Pid}/ns/net cat /proc/sys/net/ipv4/ip_forward`);
    expect(forwarding.trim()).toBe('0');
  });

  it('through a container that does forward: the firewall drops the session’s packets by their source', async () => {
    const a = await createSession(guarded);
    const forwarder = await startForwarder(guarded, a.id);
    await routeLanVia(guarded, a.id, await addressOn(guarded, a.id, 'forwarder'));
    const before = lan.connections;
    expect(await connects(guarded, a.id, LAN_ADDRESS, LAN_PORT)).toBe(false);
    expect(lan.connections).toBe(before);
    // The host's own services on the forwarder's side (the default bridge's gateway) stay closed too.
    const gateway = (await forwarder.inspect()).NetworkSettings.Networks.bridge?.Gateway ?? '';
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await mustRun(guarded, a.id, `ip route replace ${gateway}/32 via $(getent hosts forwarder | cut -d' ' -f1)`);
    const hostBefore = hostConnections;
    expect(await connects(guarded, a.id, gateway, hostPort)).toBe(false);
    expect(hostConnections).toBe(hostBefore);

    const b = await createSession(open);
    await startForwarder(open, b.id);
    await routeLanVia(open, b.id, await addressOn(open, b.id, 'forwarder'));
    expect(await connects(open, b.id, LAN_ADDRESS, LAN_PORT)).toBe(true);
    expect(lan.connections).toBeGreaterThan(before);
  });

  it('through another instance of the same session, which its visitor controls', async () => {
    for (const [playground, reaches] of [
      [guarded, false],
      [open, true],
    ] as const) {
      const { id } = await createSession(playground);
      expect((await api(playground, 'POST', `/api/sessions/${id}/instances`)).status).toBe(201);
      // node2's nested Docker drops forwarded packets; its visitor (root there) lets them through.
      await waitFor('node2 ready', async () => (await execIn(playground, id, 'docker info >/dev/null && echo ok', 30_000, 'node2')).stdout.includes('ok'), 60_000);
      await mustRun(playground, id, 'iptables -P FORWARD ACCEPT && sysctl -qw net.ipv4.ip_forward=1', 'node2');
      await routeLanVia(playground, id, await addressOn(playground, id, 'node2'));
      const before = lan.connections;
      expect(await connects(playground, id, LAN_ADDRESS, LAN_PORT)).toBe(reaches);
      if (reaches) expect(lan.connections).toBeGreaterThan(before);
      else expect(lan.connections).toBe(before);
    }
  });

  it('IPv6 link-local to the host: nothing of the host answers on a guarded session’s bridge', async () => {
    for (const [playground, reaches] of [
      [guarded, false],
      [open, true],
    ] as const) {
      const { id } = await createSession(playground);
      const bridge = resourceNames.bridge(sessionKey(id));
      await enableIpv6(playground, id);
      const hostAddress = await bridgeLinkLocal(bridge);
      const before = hostConnections;
      expect(await connects(playground, id, `${hostAddress}%25eth0`, hostPort)).toBe(reaches);
      if (reaches) expect(hostConnections).toBeGreaterThan(before);
      else expect(hostConnections).toBe(before);
    }
  });

  it('IPv6 to the LAN stand-in through a host that forwards IPv6', async () => {
    ipv6ForwardingBefore = (await readFile('/proc/sys/net/ipv6/conf/all/forwarding', 'utf8')).trim();
    await writeFile('/proc/sys/net/ipv6/conf/all/forwarding', '1');
    for (const [playground, reaches, own] of [
      [guarded, false, 'fd98::a'],
      [open, true, 'fd97::a'],
    ] as const) {
      const { id } = await createSession(playground);
      const bridge = resourceNames.bridge(sessionKey(id));
      await enableIpv6(playground, id);
      const gateway = await bridgeLinkLocal(bridge);
      await mustRun(playground, id, `ip -6 addr add ${own}/64 dev eth0 nodad && ip -6 route add fd99::/64 via ${gateway} dev eth0`);
      // The way back, as a LAN router would know it (on a guarded bridge IPv6 is off: no route can be added there).
      await sh(`ip -6 route replace ${own.replace(/a$/, '')}/64 dev ${bridge} 2>/dev/null; true`);
      const before = lan.connections;
      expect(await connects(playground, id, LAN_ADDRESS6, LAN_PORT)).toBe(reaches);
      if (reaches) expect(lan.connections).toBeGreaterThan(before);
      else expect(lan.connections).toBe(before);
    }
  });
});
