/**
 * The cluster's plan: every name, address, path and dockerd argument of the three extra engines.
 * Pure (no I/O), so the rest of scripts/cluster only acts on what is written here, and a test can
 * check that nothing in it can reach the main engine or collide with the playground's networks.
 *
 * Everything the cluster makes is named pgcluster-*, pgcl0* or playground-cluster*: `down` removes
 * only such names, which is what keeps it away from the main engine (/var/run/docker.sock,
 * /var/lib/docker) and from anything else on the host.
 */

export const NODE_COUNT = 3;

/** The main engine: only ever read from (the images' source), never changed. */
export const MAIN_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The host bridge joining the nodes' namespaces, and the host's own address on it. */
export const BRIDGE = 'pgcl0';
export const BRIDGE_ADDRESS = '10.98.0.1';
export const BRIDGE_PREFIX_LENGTH = 24;
export const BRIDGE_SUBNET = '10.98.0.0/24';

/** Where the engines keep their state, their runtime files and their logs. */
export const STATE_ROOT = '/var/lib/playground-cluster';
export const RUN_ROOT = '/run/playground-cluster';
/** Outside RUN_ROOT: `down` removes RUN_ROOT while holding it. */
export const LOCK_PATH = '/run/playground-cluster.lock';

/**
 * The Swarm's pool for overlay networks (ingress included). Apart from the playground's session
 * subnets (10.89.0.0/16), its tests' ranges (10.88.x, 10.99.0.0/24) and the main engine's 172.17+.
 */
export const SWARM_ADDRESS_POOL = '10.96.0.0/16';
export const SWARM_MANAGER_PORT = 2377;

/**
 * Lets bridged traffic between the nodes through the host's FORWARD chain, whose policy the main
 * engine sets to DROP (br_netfilter hands bridged frames to iptables). Only pgcl0 to pgcl0: the
 * nodes reach each other and the host, nothing beyond it (the network rule).
 */
export const FORWARD_CHAIN = 'DOCKER-USER';
export const FORWARD_RULE: readonly string[] = ['-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'];

export interface NodePlan {
  /** 1, 2 or 3; node 1 is the Swarm manager. */
  readonly index: number;
  readonly role: 'manager' | 'worker';
  readonly netns: string;
  readonly netnsPath: string;
  /** The host end of the node's veth pair, enslaved to the bridge. */
  readonly hostVeth: string;
  /** The node's end, inside its namespace. */
  readonly nodeVeth: string;
  readonly address: string;
  /** address/prefix, as `ip addr add` takes it. */
  readonly cidr: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly pidFile: string;
  readonly socketPath: string;
  /** What DOCKER_HOST (or `docker -H`) is for this engine. */
  readonly dockerHost: string;
  /** An empty configuration file, so a host's /etc/docker/daemon.json (the main engine's) never applies. */
  readonly configFile: string;
  readonly logPath: string;
  /** Under /sys/fs/cgroup/<controller>/: the containers of this engine live there. */
  readonly cgroupParent: string;
  /** docker0 inside the node. */
  readonly bip: string;
  /** Where the node's own bridge networks (docker_gwbridge, user networks) come from. */
  readonly addressPool: { readonly base: string; readonly size: number };
}

export function nodePlan(index: number): NodePlan {
  if (!Number.isInteger(index) || index < 1 || index > NODE_COUNT) throw new RangeError(`no cluster node ${index} (1..${NODE_COUNT})`);
  const run = `${RUN_ROOT}/${index}`;
  return {
    index,
    role: index === 1 ? 'manager' : 'worker',
    netns: `pgcluster-${index}`,
    netnsPath: `/run/netns/pgcluster-${index}`,
    hostVeth: `pgcl0-n${index}`,
    nodeVeth: 'eth0',
    address: `10.98.0.${index + 1}`,
    cidr: `10.98.0.${index + 1}/${BRIDGE_PREFIX_LENGTH}`,
    dataRoot: `${STATE_ROOT}/${index}`,
    execRoot: run,
    pidFile: `${run}.pid`,
    socketPath: `${run}.sock`,
    dockerHost: `unix://${run}.sock`,
    configFile: `${run}.daemon.json`,
    logPath: `/var/log/playground-cluster-${index}.log`,
    cgroupParent: `/playground-cluster-${index}`,
    // 10.97.N.0/24 for docker0 and 10.97.16N.0/20 for the node's networks: nothing shared between
    // nodes (or with 10.96/16 of the Swarm), so an address says which node it belongs to.
    bip: `10.97.${index}.1/24`,
    addressPool: { base: `10.97.${16 * index}.0/20`, size: 24 },
  };
}

export function clusterNodes(): NodePlan[] {
  return Array.from({ length: NODE_COUNT }, (_, i) => nodePlan(i + 1));
}

/**
 * Added to each engine's environment. Swarm agents normally try a registry for every task's image
 * before using the local copy; no registry is reachable here, so each task would wait for a DNS
 * timeout and the nodes would send lookups off the machine (the network rule). With this set,
 * a tagged image present on the node is used as it is.
 */
export const ENGINE_ENV: Readonly<Record<string, string>> = { DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' };

/** The dockerd arguments of a node (after `nsenter --net=<netns>`). */
export function dockerdArgs(node: NodePlan): string[] {
  return [
    '--config-file', node.configFile,
    '--data-root', node.dataRoot,
    '--exec-root', node.execRoot,
    '--pidfile', node.pidFile,
    // The unix socket only: a TCP listener without TLS makes dockerd pause 15 s (and is open to all).
    '-H', node.dockerHost,
    // As the main engine: root in a container is an unprivileged user on the host.
    '--userns-remap=default',
    '--cgroup-parent', node.cgroupParent,
    '--bip', node.bip,
    '--default-address-pool', `base=${node.addressPool.base},size=${node.addressPool.size}`,
  ];
}

/**
 * The command that starts a node's engine. `nsenter --net=` moves only the network namespace;
 * `ip netns exec` would also remount /sys and hide the cgroup mounts ("Devices cgroup isn't mounted").
 */
export function engineCommand(node: NodePlan, dockerd = 'dockerd'): { command: string; args: string[] } {
  return { command: 'nsenter', args: [`--net=${node.netnsPath}`, dockerd, ...dockerdArgs(node)] };
}

/** `docker swarm join` for a worker, given the manager's worker token. */
export function swarmJoinArgs(node: NodePlan, manager: NodePlan, token: string): string[] {
  return ['-H', node.dockerHost, 'swarm', 'join', '--token', token, '--advertise-addr', node.address, '--listen-addr', `${node.address}:${SWARM_MANAGER_PORT}`, `${manager.address}:${SWARM_MANAGER_PORT}`];
}

export function swarmInitArgs(manager: NodePlan): string[] {
  return ['-H', manager.dockerHost, 'swarm', 'init', '--advertise-addr', manager.address, '--listen-addr', `${manager.address}:${SWARM_MANAGER_PORT}`, '--default-addr-pool', SWARM_ADDRESS_POOL];
}

/** The last line of `up`: what to point DOCKER_HOST at. */
export function upSummary(nodes: readonly NodePlan[]): string {
  const describe = (n: NodePlan) => `${n.dockerHost} (${n.address})`;
  const manager = nodes.filter((n) => n.role === 'manager').map(describe).join(', ');
  const workers = nodes.filter((n) => n.role === 'worker').map(describe).join(', ');
  return `cluster up: manager ${manager}, workers ${workers}`;
}

/**
 * dockerd 20.10 with --userns-remap also makes `<exec root>.<uid>.<gid>` beside its exec root's
 * parent for containerd's fifos: /run/playground-cluster.100000.100000 here (the main engine's is
 * /run/docker.100000.100000, which this never matches).
 */
const REMAPPED_RUN_DIR = /^\/run\/playground-cluster\.\d+\.\d+$/;

/** The cluster's top directories among the entries of /run: RUN_ROOT's remapped twins. */
export function remappedRunDirs(runEntries: readonly string[]): string[] {
  return runEntries.map((e) => `/run/${e}`).filter((p) => REMAPPED_RUN_DIR.test(p));
}

/** Whether a path is inside the cluster's state or runtime directories (what `down` may unmount and delete). */
export function isClusterPath(path: string): boolean {
  const top = path.split('/').slice(0, 3).join('/');
  return [STATE_ROOT, RUN_ROOT].some((root) => path === root || path.startsWith(`${root}/`)) || REMAPPED_RUN_DIR.test(top);
}

/** Whether a name (netns, link, cgroup, file) is one the cluster makes: a last guard before removing it. */
export function isClusterName(name: string): boolean {
  return /(^|\/)(pgcluster-\d+|pgcl0(-n\d+)?|playground-cluster(-\d+)?)($|[/.])/.test(name);
}
