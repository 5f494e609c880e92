/**
 * The playground on the test cluster: a node server in each node's network namespace, bound to
 * that node's engine; the fronts: one deployed onto the Swarm by `npm run deploy` (a service on the
 * manager, published on its address), and a second on this machine's loopback that reads the Swarm
 * through the manager's engine (as a second front behind a balancer would be). The servers run as
 * background processes (pid files under RUN_ROOT, logs beside the engines'), so `up` can return and
 * print the front's URL; `down` stops them before the engines (the service goes with its engine).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SetupError } from '../setup/errors';
import { pollHealth } from '../health-poll';
import { createDockerClient } from '../../server/src/docker/docker-client';
import { ensureFrontImage } from '../deploy/front-image';
import { MAIN_DOCKER_HOST, RUN_ROOT, STATE_ROOT, type NodePlan } from './cluster-plan';
import { copyImages, imageIds } from './image-copy';
import { pathWithSbin, processAlive, tryCommand } from './commands';
import type { Progress } from './progress';

/** Each node's server listens on its own address at this port (a front's NODE_PORT). */
export const NODE_SERVER_PORT = 8080;
/** The front on this machine's loopback (CLUSTER_FRONT_PORT moves it), and the Swarm's on the manager's address. */
export const FRONT_PORT = Number(process.env.CLUSTER_FRONT_PORT || 8090);
export const FRONT_URL = `http://127.0.0.1:${FRONT_PORT}`;
export function swarmFrontUrl(manager: NodePlan): string {
  return `http://${manager.address}:${FRONT_PORT}`;
}
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

export function nodeServerUrl(node: NodePlan): string {
  return `http://${node.address}:${NODE_SERVER_PORT}`;
}

/** A node's own files (disks, secret, saved expiries and screens), apart from its engine's data root. */
export function nodeStateDir(node: NodePlan): string {
  return `${STATE_ROOT}/server-${node.index}`;
}

function pidFile(name: string): string {
  return `${RUN_ROOT}/${name}.pid`;
}

function logFile(name: string): string {
  return `/var/log/playground-cluster-${name}.log`;
}

/**
 * What a node's server is told. Each node carves its session networks from a range of its own, so
 * an address names its node. Its trusted proxies are the fronts: this machine (on the bridge), and
 * the Swarm's front, a container on the manager (its own address, or, towards the manager's own
 * node, its container address from the manager engine's pool).
 */
export function nodeServerEnv(node: NodePlan, bridgeAddress: string, manager: NodePlan): Record<string, string> {
  const state = nodeStateDir(node);
  return {
    DOCKER_HOST: node.dockerHost,
    HOST: node.address,
    PORT: String(NODE_SERVER_PORT),
    NODE_NAME: node.netns,
    PLAYGROUND_NAME: 'cluster',
    SANDBOX_DISK_DIR: `${state}/disks`,
    SECRET_FILE: `${state}/secret`,
    SESSION_SUBNETS: `10.89.${(node.index - 1) * 64}.0/18`,
    TRUSTED_PROXIES: [bridgeAddress, manager.address, manager.addressPool.base].join(','),
    // A front passes the browser's Host on: the deployed front's name must be served by every node.
    ALLOWED_HOSTS: manager.address,
    WARM_POOL: '0',
    REGISTRY_CACHE: 'off',
    SESSION_RATE_LIMIT: '0',
    MAX_SESSIONS_PER_CLIENT: '0',
    // Small disks: three nodes share this machine's free space (disk admission counts each node's own).
    SANDBOX_DISK: '4g',
    // A cap per node (the cluster bench sets it: three nodes on one machine would each count its
    // whole memory as theirs).
    ...(process.env.CLUSTER_NODE_MAX_INSTANCES ? { MAX_TOTAL_INSTANCES: process.env.CLUSTER_NODE_MAX_INSTANCES, MAX_SESSIONS: process.env.CLUSTER_NODE_MAX_INSTANCES } : {}),
  };
}

function frontEnv(manager: NodePlan): Record<string, string> {
  return { ROLE: 'front', NODES: 'swarm', DOCKER_HOST: manager.dockerHost, NODE_PORT: String(NODE_SERVER_PORT), HOST: '127.0.0.1', PORT: String(FRONT_PORT), NODE_POLL_INTERVAL: '1000' };
}

/** Starts a detached process whose output goes to its log; its pid is kept in a file. */
function startDetached(name: string, command: string, args: string[], env: Record<string, string>, repoRoot: string): void {
  mkdirSync(RUN_ROOT, { recursive: true });
  const log = openSync(logFile(name), 'a');
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, PATH: pathWithSbin(process.env.PATH), ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  writeFileSync(pidFile(name), String(child.pid));
  child.unref();
}


async function waitForHealth(url: string, what: string, name: string): Promise<void> {
  const exited = () => {
    const pid = readPid(name);
    return pid !== undefined && !processAlive(pid);
  };
  const last = await pollHealth(url, READY_TIMEOUT_MS, exited);
  if (last === undefined) return;
  const tail = existsSync(logFile(name)) ? readFileSync(logFile(name), 'utf8').split('\n').slice(-15) : [];
  throw new SetupError(`${what} did not become healthy at ${url} (${last}); its log: ${logFile(name)}`, tail);
}

function readPid(name: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The node's engine gets what `npm run setup` makes (the images are already copied in, so only
 * the mirror is started and filled), run inside its namespace so the mirror's 127.0.0.1:5000 is
 * the node's own; then its server starts there.
 */
export async function startNodeServer(node: NodePlan, manager: NodePlan, bridgeAddress: string, repoRoot: string, progress: Progress): Promise<void> {
  const name = `server-${node.index}`;
  const pid = readPid(name);
  if (pid !== undefined && processAlive(pid)) {
    await waitForHealth(nodeServerUrl(node), `the server of ${node.netns}`, name);
    return;
  }
  mkdirSync(`${nodeStateDir(node)}/disks`, { recursive: true });
  const setup = await tryCommand('nsenter', [`--net=${node.netnsPath}`, 'env', `DOCKER_HOST=${node.dockerHost}`, process.execPath, '--import', 'tsx', 'scripts/setup.ts'], { timeoutMs: 600_000 });
  if (setup.code !== 0) throw new SetupError(`the set-up of ${node.netns} failed`, `${setup.stdout}\n${setup.stderr}`.split('\n').filter(Boolean).slice(-15));
  progress.line(`${node.netns}: set up (${setup.stdout.trim().split('\n').pop()?.replace(/^\[setup\] /, '') ?? ''})`);
  startDetached(name, 'nsenter', [`--net=${node.netnsPath}`, process.execPath, '--import', 'tsx', 'server/src/main.ts'], nodeServerEnv(node, bridgeAddress, manager), repoRoot);
  await waitForHealth(nodeServerUrl(node), `the server of ${node.netns}`, name);
  progress.line(`${node.netns}: server at ${nodeServerUrl(node)}`);
}

export async function startFront(manager: NodePlan, repoRoot: string, progress: Progress): Promise<void> {
  const pid = readPid('front');
  if (pid === undefined || !processAlive(pid)) startDetached('front', process.execPath, ['--import', 'tsx', 'server/src/main.ts'], frontEnv(manager), repoRoot);
  await waitForHealth(FRONT_URL, 'the front', 'front');
  progress.line(`front at ${FRONT_URL} (nodes from the swarm of ${manager.dockerHost})`);
}

/**
 * The Swarm's front: its image built on the main engine (whose build cache outlives the cluster) and
 * copied into the manager, then `npm run deploy` run in the manager's namespace, as an operator runs
 * it on a manager, with the front published on the manager's own port (no IPVS here for ingress).
 */
export async function deploySwarmFront(manager: NodePlan, repoRoot: string, progress: Progress): Promise<void> {
  const main = createDockerClient(MAIN_DOCKER_HOST);
  const ref = await ensureFrontImage(main, repoRoot, (line) => progress.line(`front image: ${line}`));
  const id = (await imageIds(MAIN_DOCKER_HOST)).get(ref);
  if (!id) throw new SetupError(`the front image ${ref} is not on the main engine after its build`);
  await copyImages(new Map([[ref, id]]), [manager], progress);
  const deploy = await tryCommand(
    'nsenter',
    [`--net=${manager.netnsPath}`, 'env', `DOCKER_HOST=${manager.dockerHost}`, `FRONT_IMAGE=${ref}`, `FRONT_PORT=${FRONT_PORT}`, 'FRONT_PUBLISH_MODE=host', `DEPLOY_STATE_DIR=${STATE_ROOT}/deploy`, process.execPath, '--import', 'tsx', 'scripts/deploy/deploy.ts'],
    { timeoutMs: 600_000 },
  );
  const lines = `${deploy.stdout}\n${deploy.stderr}`.split('\n').filter(Boolean);
  if (deploy.code !== 0) throw new SetupError('npm run deploy on the manager failed', lines.slice(-20));
  progress.line(`${manager.netns}: ${lines.filter((line) => line.startsWith('deployed')).join('; ')}`);
}

/** Stops one server (SIGTERM, then SIGKILL after a while); its sessions stay on its engine. */
export async function stopServer(name: string): Promise<boolean> {
  const pid = readPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === undefined || !processAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

/** Stops the front and every node's server: the first step of `down`. */
export async function stopServers(nodes: readonly NodePlan[], progress: Progress): Promise<void> {
  const stopped = [];
  for (const name of ['front', ...nodes.map((node) => `server-${node.index}`)]) if (await stopServer(name)) stopped.push(name);
  if (stopped.length > 0) progress.line(`stopped ${stopped.join(', ')}`);
}

/** Detaches the loop devices of the nodes' disks (their files are about to be removed with the state). */
export async function detachNodeDisks(progress: Progress): Promise<void> {
  const listing = await tryCommand('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE']);
  const devices = listing.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([device, file]) => device && file?.startsWith(`${STATE_ROOT}/`))
    .map(([device]) => device!);
  for (const device of devices) await tryCommand('losetup', ['--detach', device]);
  if (devices.length > 0) progress.line(`detached ${devices.length} loop device(s) of the nodes' disks`);
}
