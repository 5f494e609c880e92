import { BlockList, isIP } from 'node:net';

// Who a request comes from, for per-client limits (SESSION_RATE_LIMIT, MAX_SESSIONS_PER_CLIENT). Pure.
//
// One IPv4 address is one client. For IPv6 a whole /64 is one client: a single host is routinely
// given a /64 and can pick any address in it, so counting addresses would let it multiply its
// limits by 2^64. IPv4-mapped IPv6 (::ffff:1.2.3.4, what a dual-stack socket reports) is the IPv4
// address. X-Forwarded-For is believed only from proxies the operator declared (TRUSTED_PROXIES):
// anyone else could write any address there.

/** Addresses and CIDRs of TRUSTED_PROXIES, parsed; throws an Error naming the bad entry. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefixText, ...rest] = entry.split('/');
    const normal = address === undefined ? undefined : unmapped(address);
    const family = normal === undefined ? 0 : isIP(normal);
    if (rest.length > 0 || family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(normal!, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
    list.addSubnet(normal!, prefix, type);
  }
  return list;
}

/** Parses TRUSTED_PROXIES' comma-separated text (validating it) into the entries kept in Config. */
export function parseTrustedProxies(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  trustedProxyList(entries);
  return entries;
}

/**
 * The client a request counts against: the TCP peer's address, or, when the peer is a trusted
 * proxy, the right-most address in X-Forwarded-For that is not itself a trusted proxy (each proxy
 * appends the address it saw, so everything left of the first untrusted hop could be forged).
 */
export function clientKey(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let address = remoteAddress === undefined ? undefined : unmapped(remoteAddress);
  if (address === undefined || isIP(address) === 0) return 'unknown';
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  while (isTrusted(address, trusted)) {
    const hop = hops.pop();
    if (hop === undefined) break; // every hop was a trusted proxy: the left-most one is the client
    const candidate = unmapped(hop);
    // Garbage from a trusted proxy's left: the proxy that handed it on is the best we know.
    if (isIP(candidate) === 0) break;
    address = candidate;
  }
  return isIP(address) === 6 ? ipv6Prefix64(address) : address;
}

/** Whether the TCP peer is one of TRUSTED_PROXIES (a front, a load balancer). */
export function isTrustedPeer(remoteAddress: string | undefined, trusted: BlockList): boolean {
  if (remoteAddress === undefined) return false;
  const address = unmapped(remoteAddress);
  return isIP(address) !== 0 && isTrusted(address, trusted);
}

function isTrusted(address: string, trusted: BlockList): boolean {
  return trusted.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/** Without brackets, zone id and the IPv4-mapped prefix; lower case. */
function unmapped(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped ? mapped[1]! : bare;
}

/** The /64 an IPv6 address is in, written as e.g. 2001:db8:0:1::/64. */
export function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const left = groups(head);
  // An embedded dotted IPv4 (::1.2.3.4) is the last 32 bits: two groups, all below the /64.
  const right = groups(tail ?? '').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const prefix = all.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
