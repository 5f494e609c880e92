// What a sandbox may reach outside its own session, as iptables rules. Pure: the rules are data,
// so they are unit-tested and documented from one place (docs/security.md).
import { createHash } from 'node:crypto';
import { SESSION_BRIDGE_PREFIX } from '../sandbox/labels';

/** internet: the public internet only; none: nothing outside the session; off: no rules at all. */
export type EgressPolicy = 'internet' | 'none' | 'off';

/**
 * Filters traffic that leaves a session network, in the mangle table's FORWARD hook: Docker 20.10
 * deletes and re-inserts its own jumps in the filter table whenever a network is made, and packets
 * slip past rules there in that moment (docs/security.md); it never touches mangle.
 */
export const FORWARD_TABLE = 'mangle';

/**
 * The two policy chains: one filters what leaves a session network (hooked from FORWARD in mangle),
 * the other what a session network sends to the host itself (hooked from INPUT). Each is named
 * after a digest of its rules, so playgrounds sharing a host never rewrite each other's chains: the
 * same rules share one chain, other rules (another EGRESS_POLICY, say) get a chain of their own.
 */
export interface PolicyChains {
  forward: string;
  input: string;
}

/** iptables chain names are at most 28 characters: 'PLAYGROUND-FWD-' and 8 hex digits. */
export function policyChainName(kind: 'FWD' | 'IN', rules: string[][]): string {
  return `PLAYGROUND-${kind}-${createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 8)}`;
}

/**
 * Ranges that are never the public internet: this host's other networks, the LAN, cloud metadata
 * (169.254.169.254), carrier-grade NAT, loopback, multicast. Sandboxes must not reach them.
 */
export const NON_PUBLIC_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

export interface EgressOptions {
  policy: EgressPolicy;
  /** The host's DNS resolvers (from /etc/resolv.conf): allowed on port 53 even in a private range. */
  resolvers: string[];
  /** Extra destinations allowed (EGRESS_ALLOW), e.g. an apt proxy on the LAN. */
  allow: string[];
}

/**
 * The rules of the two chains, in order, as iptables arguments after `-A <chain>`. The chains are
 * entered only for packets from a session's bridge (see session-firewall.ts), so they need not
 * match interfaces themselves, except to let a session talk to itself.
 */
export function forwardRules(options: EgressOptions): string[][] {
  const rules: string[][] = [
    // Into another session's network: never (jumps only match traffic leaving its own bridge).
    ['-o', `${SESSION_BRIDGE_PREFIX}+`, '-j', 'DROP'],
    // Answers to connections someone else opened flow back.
    ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'RETURN'],
  ];
  for (const resolver of options.resolvers) {
    for (const protocol of ['udp', 'tcp']) rules.push(['-d', `${resolver}/32`, '-p', protocol, '--dport', '53', '-j', 'RETURN']);
  }
  for (const destination of options.allow) rules.push(['-d', destination, '-j', 'RETURN']);
  if (options.policy === 'none') {
    rules.push(['-j', 'DROP']);
    return rules;
  }
  for (const range of NON_PUBLIC_RANGES) rules.push(['-d', range, '-j', 'DROP']);
  // Everything else (the public internet) goes on to Docker's own rules (NAT, isolation).
  rules.push(['-j', 'RETURN']);
  return rules;
}

/** A sandbox may not open connections to the host: not its SSH, databases, or this server. */
export function inputRules(): string[][] {
  return [
    ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
    ['-j', 'DROP'],
  ];
}

/**
 * The jumps that put one session under the chains. A packet is the session's by what it is, not
 * only by where it comes in: what enters from the session's bridge, and anything whose source is
 * the session's subnet that enters anywhere else (a sandbox that routes through a container that
 * sits on its network and another, such as a shared registry, or spoofs its way out through one).
 * Traffic inside the bridge (instance to instance, instance to the registry mirror, which joins
 * every session network) is left alone.
 */
export function sessionJumps(bridge: string, subnet: string, chains: PolicyChains): Array<{ table: string; chain: string; rule: string[] }> {
  // Rules that match by source name the bridge in a comment: that is how they are found and
  // removed with the session, when its subnet is gone (and may be another session's soon).
  const named = ['-m', 'comment', '--comment', bridge];
  return [
    { table: FORWARD_TABLE, chain: 'FORWARD', rule: ['-i', bridge, '!', '-o', bridge, '-j', chains.forward] },
    { table: FORWARD_TABLE, chain: 'FORWARD', rule: ['-s', subnet, '!', '-i', bridge, ...named, '-j', chains.forward] },
    { table: 'filter', chain: 'INPUT', rule: ['-i', bridge, '-j', chains.input] },
    { table: 'filter', chain: 'INPUT', rule: ['-s', subnet, ...named, '-j', chains.input] },
  ];
}

/**
 * IPv6 rules (ip6tables, filter table) of one session's bridge: session networks are IPv4 only, but
 * root in a sandbox can turn IPv6 on in its own namespace and talk link-local to whatever shares its
 * bridge, the host included, or route through the host when it forwards IPv6. Nothing IPv6 enters
 * or leaves the bridge, and the host answers none of it.
 */
export function ipv6Rules(bridge: string): Array<{ table: string; chain: string; rule: string[] }> {
  return [
    { table: 'filter', chain: 'INPUT', rule: ['-i', bridge, '-j', 'DROP'] },
    { table: 'filter', chain: 'FORWARD', rule: ['-i', bridge, '-j', 'DROP'] },
    { table: 'filter', chain: 'FORWARD', rule: ['-o', bridge, '-j', 'DROP'] },
  ];
}

/** An IPv4 subnet in CIDR form, as Docker's IPAM reports it; throws for anything else (it becomes an iptables argument). */
export function checkedSubnet(text: string): string {
  if (!isIpv4(text, true)) throw new Error(`"${text}" is not an IPv4 subnet`);
  return text;
}

/** a.b.c.d or a.b.c.d/n (the prefix required when asked). */
function isIpv4(text: string, prefixRequired: boolean): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!match || !match.slice(1, 5).every((octet) => Number(octet) <= 255)) return false;
  return match[5] === undefined ? !prefixRequired : Number(match[5]) <= 32;
}

/** Nameservers from the text of /etc/resolv.conf (IPv4 only: session networks are IPv4). */
export function resolversFrom(resolvConf: string): string[] {
  const found = new Set<string>();
  for (const line of resolvConf.split('\n')) {
    const match = /^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/.exec(line);
    if (match) found.add(match[1]!);
  }
  return [...found];
}

export function parseEgressPolicy(text: string): EgressPolicy {
  if (text === 'internet' || text === 'none' || text === 'off') return text;
  throw new Error(`expected internet, none or off, not "${text}"`);
}

/** Comma-separated IPv4 addresses or CIDRs. */
export function parseEgressAllow(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!isIpv4(entry, false)) throw new Error(`"${entry}" is not an IPv4 address or CIDR`);
  }
  return entries;
}

/** A session bridge's name as rules carry it (SESSION_BRIDGE_PREFIX and 13 hex digits of the key). */
const SESSION_BRIDGE = /^pg[0-9a-f]{13}$/;

/**
 * Our rules in `chain` (lines of `iptables -S <chain>`) that name a session bridge which no longer
 * exists: left by a server that was killed, or whose neighbour removed the network. They match by
 * source subnet, so once the address plan hands that subnet to a new session they would drop its
 * traffic (even between its own containers). Returned as the arguments after the chain, for -D.
 */
export function orphanedRules(lines: string[], chain: string, bridgeExists: (bridge: string) => boolean): string[][] {
  return lines
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === '-A' && words[1] === chain)
    .filter((words) => /^(PLAYGROUND-|DROP$)/.test(words[words.indexOf('-j') + 1] ?? ''))
    .filter((words) => {
      const bridges = words.filter((word) => SESSION_BRIDGE.test(word));
      return bridges.length > 0 && bridges.every((bridge) => !bridgeExists(bridge));
    })
    .map((words) => words.slice(2));
}

/**
 * The network interfaces of this process's network namespace, from the text of /proc/net/dev.
 * Not /sys/class/net: a server started in a namespace with `nsenter --net` (the test cluster's
 * nodes) keeps the host's /sys, where its own bridges do not appear, and would take every session's
 * rules for orphans.
 */
export function interfaceNames(procNetDev: string): Set<string> {
  const names = new Set<string>();
  for (const line of procNetDev.split('\n')) {
    const match = /^\s*([^\s:]+):/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}
