// Which TCP ports something listens on, read from the text of /proc/<pid>/net/tcp and tcp6.
// Pure, so it is unit-tested against real lines.

const LISTEN = '0A';

/** True for addresses only the instance itself can reach (the preview proxy could not). */
function isLoopback(hexAddress: string): boolean {
  if (hexAddress.length === 8) {
    // IPv4, little-endian per 32-bit word: 127.x.x.x has 7F as its last byte.
    return hexAddress.slice(6, 8).toUpperCase() === '7F';
  }
  const upper = hexAddress.toUpperCase();
  if (upper === '00000000000000000000000001000000') return true; // ::1
  // ::ffff:127.x.x.x (v4-mapped loopback)
  return upper.startsWith('0000000000000000FFFF0000') && upper.slice(30, 32) === '7F';
}

/** Ports in LISTEN state on a non-loopback address, ascending, without duplicates. */
export function listeningPorts(...procNetTcpTexts: string[]): number[] {
  const ports = new Set<number>();
  for (const text of procNetTcpTexts) {
    for (const line of text.split('\n')) {
      // "  0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 12345 ..."
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || !/^\d+:$/.test(fields[0]!)) continue;
      const [address, portHex] = fields[1]!.split(':');
      if (fields[3] !== LISTEN || !address || !portHex || isLoopback(address)) continue;
      const port = Number.parseInt(portHex, 16);
      if (port > 0 && port <= 65535) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
