import { describe, expect, it } from 'vitest';
import {
  BRIDGE_SUBNET,
  clusterNodes,
  dockerdArgs,
  engineCommand,
  ENGINE_ENV,
  isClusterName,
  isClusterPath,
  MAIN_DOCKER_HOST,
  nodePlan,
  remappedRunDirs,
  SWARM_ADDRESS_POOL,
  swarmInitArgs,
  swarmJoinArgs,
  upSummary,
} from './cluster-plan';
import { clusterMountPoints, parseMountPoints } from './mounts';
import { parseNodeList } from './swarm';
import { missingImages } from './image-copy';

/** A dotted IPv4 CIDR as [first, last] 32-bit numbers. */
function range(cidr: string): [number, number] {
  const [ip = '', bits = '32'] = cidr.split('/');
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const first = n - (n % size);
  return [first, first + size - 1];
}
const overlap = (a: string, b: string) => {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
};

describe('the cluster plan', () => {
  const nodes = clusterNodes();

  it('has one manager and two workers at 10.98.0.2-4 behind the bridge', () => {
    expect(nodes.map((n) => [n.index, n.role, n.address, n.netns, n.hostVeth])).toEqual([
      [1, 'manager', '10.98.0.2', 'pgcluster-1', 'pgcl0-n1'],
      [2, 'worker', '10.98.0.3', 'pgcluster-2', 'pgcl0-n2'],
      [3, 'worker', '10.98.0.4', 'pgcluster-3', 'pgcl0-n3'],
    ]);
    for (const n of nodes) expect(overlap(n.cidr, BRIDGE_SUBNET)).toBe(true);
    expect(() => nodePlan(0)).toThrow(RangeError);
    expect(() => nodePlan(4)).toThrow(RangeError);
  });

  it('gives every engine its own paths, socket, cgroup parent and log, none of them the main engine\'s', () => {
    const all = nodes.flatMap((n) => [n.dataRoot, n.execRoot, n.pidFile, n.socketPath, n.configFile, n.logPath, n.cgroupParent, n.netns]);
    expect(new Set(all).size).toBe(all.length);
    for (const n of nodes) {
      expect(n.dockerHost).toBe(`unix://${n.socketPath}`);
      expect(n.dockerHost).not.toBe(MAIN_DOCKER_HOST);
      for (const p of [n.dataRoot, n.execRoot, n.pidFile, n.socketPath, n.configFile]) {
        expect(isClusterPath(p)).toBe(true);
        expect(p.startsWith('/var/lib/docker')).toBe(false);
        expect(p.startsWith('/var/run/docker')).toBe(false);
      }
      for (const name of [n.netns, n.hostVeth, n.cgroupParent, n.socketPath, n.dataRoot, n.logPath]) expect(isClusterName(name)).toBe(true);
      // Interface names are at most 15 characters.
      expect(n.hostVeth.length).toBeLessThanOrEqual(15);
    }
  });

  it('keeps every address range apart from the others and from the playground\'s', () => {
    const ranges = [BRIDGE_SUBNET, SWARM_ADDRESS_POOL, ...nodes.flatMap((n) => [n.bip, n.addressPool.base])];
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) expect(overlap(ranges[i]!, ranges[j]!), `${ranges[i]} / ${ranges[j]}`).toBe(false);
      // Session subnets, the integration tests' ranges, the LAN stand-in, the main engine's docker0 and default pools.
      for (const taken of ['10.89.0.0/16', '10.88.0.0/16', '10.99.0.0/24', '172.16.0.0/12', '192.168.0.0/16']) {
        expect(overlap(ranges[i]!, taken), `${ranges[i]} / ${taken}`).toBe(false);
      }
    }
  });

  it('starts dockerd through nsenter --net (not ip netns exec) with its own roots, socket only, userns-remap', () => {
    const node = nodePlan(2);
    const { command, args } = engineCommand(node, '/usr/sbin/dockerd');
    expect(command).toBe('nsenter');
    expect(args.slice(0, 2)).toEqual(['--net=/run/netns/pgcluster-2', '/usr/sbin/dockerd']);
    expect(dockerdArgs(node)).toEqual([
      '--config-file', '/run/playground-cluster/2.daemon.json',
      '--data-root', '/var/lib/playground-cluster/2',
      '--exec-root', '/run/playground-cluster/2',
      '--pidfile', '/run/playground-cluster/2.pid',
      '-H', 'unix:///run/playground-cluster/2.sock',
      '--userns-remap=default',
      '--cgroup-parent', '/playground-cluster-2',
      '--bip', '10.97.2.1/24',
      '--default-address-pool', 'base=10.97.32.0/20,size=24',
    ]);
    expect(dockerdArgs(node).some((a) => a.startsWith('tcp:'))).toBe(false);
    // Swarm tasks use the loaded images instead of asking an unreachable registry first.
    expect(ENGINE_ENV).toEqual({ DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' });
  });

  it('forms the Swarm on the bridge addresses with its own pool', () => {
    const [manager, worker] = [nodePlan(1), nodePlan(3)];
    expect(swarmInitArgs(manager)).toEqual([
      '-H', 'unix:///run/playground-cluster/1.sock', 'swarm', 'init', '--advertise-addr', '10.98.0.2', '--listen-addr', '10.98.0.2:2377', '--default-addr-pool', '10.96.0.0/16',
    ]);
    expect(swarmJoinArgs(worker, manager, 'SWMTKN-x')).toEqual([
      '-H', 'unix:///run/playground-cluster/3.sock', 'swarm', 'join', '--token', 'SWMTKN-x', '--advertise-addr', '10.98.0.4', '--listen-addr', '10.98.0.4:2377', '10.98.0.2:2377',
    ]);
  });

  it('ends `up` with the three DOCKER_HOSTs', () => {
    expect(upSummary(nodes)).toBe(
      'cluster up: manager unix:///run/playground-cluster/1.sock (10.98.0.2), workers unix:///run/playground-cluster/2.sock (10.98.0.3), unix:///run/playground-cluster/3.sock (10.98.0.4)',
    );
  });

  it('recognises only its own names and paths', () => {
    for (const own of ['pgcluster-3', 'pgcl0', 'pgcl0-n1', '/sys/fs/cgroup/memory/playground-cluster-1', '/run/playground-cluster/1.sock', '/var/log/playground-cluster-2.log']) {
      expect(isClusterName(own), own).toBe(true);
    }
    for (const other of ['docker0', 'eth0', 'pgcl1', 'pgcluster', '/var/run/docker.sock', '/var/lib/docker', '/sys/fs/cgroup/memory/docker', 'playground-registry', 'pg2217ae4bfde04']) {
      expect(isClusterName(other), other).toBe(false);
    }
    expect(isClusterPath('/var/lib/playground-cluster/1/overlay2/x/merged')).toBe(true);
    expect(isClusterPath('/var/lib/playground-clusters')).toBe(false);
    expect(isClusterPath('/var/lib/docker/overlay2/x/merged')).toBe(false);
    // userns-remap's twin of the run root, and never the main engine's.
    expect(isClusterPath('/run/playground-cluster.100000.100000/2.100000.100000/containerd.100000.100000')).toBe(true);
    expect(isClusterPath('/run/docker.100000.100000')).toBe(false);
    expect(remappedRunDirs(['docker', 'docker.100000.100000', 'playground-cluster', 'playground-cluster.100000.100000', 'playground-cluster.lock', 'playground-cluster.x.y'])).toEqual([
      '/run/playground-cluster.100000.100000',
    ]);
  });
});

describe('cluster helpers', () => {
  it('lists the cluster\'s mounts from mountinfo, deepest and latest first, decoding escapes', () => {
    const info = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '90 22 0:50 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw',
      '91 22 0:51 / /run/playground-cluster/1/netns/x rw - nsfs nsfs rw',
      '92 22 0:52 / /var/lib/playground-cluster/1/100000.100000/overlay2/d\\040e/merged rw - overlay overlay rw',
      '93 22 0:53 / /run/playground-cluster/1/netns/x rw - nsfs nsfs rw',
      '94 22 0:54 / /run/playground-cluster rw - tmpfs tmpfs rw',
    ].join('\n');
    expect(parseMountPoints(info)).toHaveLength(6);
    expect(clusterMountPoints(info)).toEqual([
      '/var/lib/playground-cluster/1/100000.100000/overlay2/d e/merged',
      '/run/playground-cluster/1/netns/x',
      '/run/playground-cluster/1/netns/x',
      '/run/playground-cluster',
    ]);
  });

  it('reads `docker node ls` lines', () => {
    expect(parseNodeList('abc Ready Active Leader\ndef Ready Active \nghi Down Active\n\n')).toEqual([
      { id: 'abc', status: 'Ready', availability: 'Active', managerStatus: 'Leader' },
      { id: 'def', status: 'Ready', availability: 'Active', managerStatus: '' },
      { id: 'ghi', status: 'Down', availability: 'Active', managerStatus: '' },
    ]);
  });

  it('copies an image a node lacks or holds under another id', () => {
    const wanted = new Map([['a:1', 'sha256:1'], ['b:2', 'sha256:2'], ['c:3', 'sha256:3']]);
    expect(missingImages(wanted, new Map([['a:1', 'sha256:1'], ['b:2', 'sha256:9']]))).toEqual(['b:2', 'c:3']);
  });
});
