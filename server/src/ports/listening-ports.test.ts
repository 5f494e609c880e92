import { describe, expect, it } from 'vitest';
import { listeningPorts } from './listening-ports';

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:8B7D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
   2: 0B00007F:A3D1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0
   3: 0200A8C0:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 100 0 0 10 0
   4: 0200A8C0:0016 0100A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0000000000000000 100 0 0 10 0
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6 1
   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1
   2: 0000000000000000FFFF00000100007F:1B58 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 8 1
   3: 00000000000000000000000000000000:1389 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9 1
`;

describe('listeningPorts', () => {
  it('lists listeners on reachable addresses, IPv4 and IPv6, ascending and once each', () => {
    // 8080 on 0.0.0.0 and on ::, 80 on 192.168.0.2, 5001 on ::.
    expect(listeningPorts(tcp, tcp6)).toEqual([80, 8080, 5001].sort((a, b) => a - b));
  });

  it('leaves out loopback listeners (127.x, ::1, ::ffff:127.x) and connections that are not listening', () => {
    const ports = listeningPorts(tcp, tcp6);
    for (const hidden of [0x8b7d, 0xa3d1, 0x0277, 0x1b58, 22]) expect(ports).not.toContain(hidden);
  });

  it('ignores garbage', () => {
    expect(listeningPorts('', 'not a table\n  x: y z', '   0: 00000000:FFFFF 00000000:0000 0A')).toEqual([]);
  });
});
