// The playground's own address plan (README: "Addresses"): every session network gets a small IPv4
// subnet carved out of one configured range (SESSION_SUBNETS, split into /SESSION_SUBNET_PREFIX
// blocks), instead of Docker's default pools, whose 31 networks ran out at the 29th session.
// Pure: what is free is computed from the subnets the engine already uses.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export const DEFAULT_SESSION_SUBNETS = '10.89.0.0/16';
/**
 * A /26 holds 62 addresses: the gateway, the shared mirror and cache, the session's registry and up
 * to MAX_INSTANCES sandboxes (at most 50), with room to spare; a /16 of them is 1024 sessions.
 */
export const DEFAULT_SESSION_SUBNET_PREFIX = 26;

export function parseIpv4(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** "10.89.0.0/16" as a Cidr, or null when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | null {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const base = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (base === null || prefix < 1 || prefix > 30) return null;
  if (base % blockSize(prefix) !== 0) return null;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** True when the two ranges share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + blockSize(a.prefix);
  const bEnd = b.base + blockSize(b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** How many session subnets the range holds. */
export function capacityOf(range: Cidr, prefix: number): number {
  return prefix < range.prefix ? 0 : blockSize(range.prefix) / blockSize(prefix);
}

/**
 * The first /prefix block of `range` that overlaps none of `used` (any network on the engine,
 * whoever made it, and blocks being handed out right now), or null when the range is full.
 */
export function firstFreeSubnet(range: Cidr, prefix: number, used: readonly Cidr[]): Cidr | null {
  const size = blockSize(prefix);
  const inRange = used.filter((cidr) => overlaps(cidr, range)).sort((a, b) => a.base - b.base);
  let candidate = range.base;
  const end = range.base + blockSize(range.prefix);
  for (const taken of inRange) {
    const takenEnd = taken.base + blockSize(taken.prefix);
    if (candidate + size <= taken.base) break;
    if (takenEnd > candidate) candidate = Math.ceil(takenEnd / size) * size;
  }
  return candidate + size <= end ? { base: candidate, prefix } : null;
}
