// The IPv4 networks this host reaches directly or by a route (its LAN, a VPN, Docker's own bridges):
// the session range must overlap none of them, or sandboxes would shadow real machines.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { SESSION_BRIDGE_PREFIX } from '../sandbox/labels';
import { formatCidr, overlaps, parseCidr, parseIpv4, type Cidr } from './subnet-pool';

export interface HostNetwork {
  cidr: Cidr;
  /** The interface it is on (eth0, docker0, wg0). */
  via: string;
}

/** A netmask such as 255.255.255.0 as a prefix length, or null when it is not contiguous. */
function prefixOf(netmask: string): number | null {
  const value = parseIpv4(netmask);
  if (value === null) return null;
  const bits = value.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : null;
}

function networkOf(address: string, prefix: number): Cidr | null {
  const value = parseIpv4(address);
  if (value === null) return null;
  const size = 2 ** (32 - prefix);
  return { base: value - (value % size), prefix };
}

/**
 * Routes from /proc/net/route: little-endian hex destination and mask per line. The default route
 * (0.0.0.0/0) says nothing about which addresses are taken, so it is left out.
 */
export function parseProcRoutes(text: string): HostNetwork[] {
  const networks: HostNetwork[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (!iface || !destination || !mask) continue;
    const toAddress = (hex: string) => [0, 2, 4, 6].map((at) => parseInt(hex.slice(at, at + 2), 16)).reverse().join('.');
    const prefix = prefixOf(toAddress(mask));
    const cidr = prefix === null || prefix === 0 ? null : networkOf(toAddress(destination), prefix);
    if (cidr) networks.push({ cidr, via: iface });
  }
  return networks;
}

/** Everything this host is attached to or routes to, except the playground's own session bridges. */
export async function hostNetworks(): Promise<HostNetwork[]> {
  const networks: HostNetwork[] = [];
  for (const [name, entries] of Object.entries(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      const cidr = parseCidr(entry.cidr ?? '') ?? networkOf(entry.address, prefixOf(entry.netmask) ?? 32);
      if (cidr) networks.push({ cidr, via: name });
    }
  }
  const routes = await readFile('/proc/net/route', 'utf8').catch(() => '');
  networks.push(...parseProcRoutes(routes));
  return networks.filter((network) => !network.via.startsWith(SESSION_BRIDGE_PREFIX));
}

/** The host networks the session range would collide with, in words ("10.89.1.0/24 on eth1"). */
export function collisions(range: Cidr, networks: HostNetwork[]): string[] {
  const found = networks.filter((network) => overlaps(network.cidr, range)).map((network) => `${formatCidr(network.cidr)} on ${network.via}`);
  return [...new Set(found)];
}
