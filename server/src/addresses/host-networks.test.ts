import { describe, expect, it } from 'vitest';
import { collisions, parseProcRoutes } from './host-networks';
import { parseCidr } from './subnet-pool';

// As /proc/net/route prints them: little-endian hex.
const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
wg0\t0000590A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
`;

describe('host networks', () => {
  it('reads routes, leaving out the default route', () => {
    expect(parseProcRoutes(ROUTES).map((route) => `${route.via} ${route.cidr.base} ${route.cidr.prefix}`)).toEqual([
      `eth0 ${(192 << 24 >>> 0) + (168 << 16) + (1 << 8)} 24`,
      `wg0 ${(10 << 24) + (89 << 16)} 16`,
      `docker0 ${(172 << 24 >>> 0) + (17 << 16)} 16`,
    ]);
  });

  it('names the host networks a session range would collide with', () => {
    const networks = parseProcRoutes(ROUTES);
    expect(collisions(parseCidr('10.89.0.0/16')!, networks)).toEqual(['10.89.0.0/16 on wg0']);
    expect(collisions(parseCidr('10.90.0.0/16')!, networks)).toEqual([]);
    expect(collisions(parseCidr('172.16.0.0/12')!, networks)).toEqual(['172.17.0.0/16 on docker0']);
  });
});
