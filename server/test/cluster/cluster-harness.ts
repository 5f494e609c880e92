import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BRIDGE_ADDRESS, clusterNodes, isClusterPath, type NodePlan } from '../../../scripts/cluster/cluster-plan';
import { FRONT_URL, nodeStateDir, startFront, startNodeServer, stopServer, swarmFrontUrl } from '../../../scripts/cluster/playground-servers';
import { startEngines, stopEngines } from '../../../scripts/cluster/engines';
import { Progress } from '../../../scripts/cluster/progress';
import { clusterCommand, lastLine } from '../../../scripts/cluster/cluster-command';

// The test cluster of `npm run cluster` for the cluster layer: `up` before the tests (it only
// checks when the cluster is already up), `down` at the end. Everything stays on this machine.

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs `npm run cluster -- <command>` (scripts/cluster/cluster-command.ts). */
export function cluster(command: 'up' | 'down', timeoutMs = 1_100_000): Promise<string> {
  return clusterCommand(command, { timeoutMs });
}

export { lastLine };

/** The second front, on this machine's loopback (a process of `up`). */
export function frontUrl(): string {
  return FRONT_URL;
}

/** The front deployed onto the Swarm by `npm run deploy` (a service on the manager). */
export function swarmFront(): string {
  return swarmFrontUrl(clusterNodes()[0]!);
}

/** The loopback front stops (as a front lost behind a balancer would). */
export async function stopLoopbackFront(): Promise<void> {
  await stopServer('front');
}

export async function restartLoopbackFront(): Promise<void> {
  await startFront(clusterNodes()[0]!, repoRoot, new Progress({ write: () => true }));
}

/** The node's server stops (as a lost machine's would); its engine and sessions stay. */
export async function stopNodeServer(node: NodePlan): Promise<void> {
  await stopServer(`server-${node.index}`);
}

export async function restartNodeServer(node: NodePlan): Promise<void> {
  await startNodeServer(node, clusterNodes()[0]!, BRIDGE_ADDRESS, repoRoot, new Progress({ write: () => true }));
}

/** The machine is lost: the node's server and its engine stop (the engine stops its sandboxes). */
export async function stopNodeMachine(node: NodePlan): Promise<void> {
  await stopServer(`server-${node.index}`);
  const left = await stopEngines([node], new Progress({ write: () => true }));
  if (left.length > 0) throw new Error(`the engine of ${node.netns} did not stop: ${left.join(', ')}`);
}

/** The machine is back: its engine starts (it rejoins the Swarm by itself), then its server. */
export async function restartNodeMachine(node: NodePlan): Promise<void> {
  await startEngines([node], new Progress({ write: () => true }));
  await restartNodeServer(node);
}

/** The instance disk images on a node (its SANDBOX_DISK_DIR). */
export function nodeDiskImages(node: NodePlan): string[] {
  const dir = path.join(nodeStateDir(node), 'disks');
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.img')) : [];
}

/** Everything of the cluster still on this machine (empty when it is all gone). */
export function leftovers(): string[] {
  const nodes = clusterNodes();
  const left: string[] = [];
  for (const node of nodes) {
    if (existsSync(node.netnsPath)) left.push(node.netnsPath);
    if (existsSync(`/sys/class/net/${node.hostVeth}`)) left.push(node.hostVeth);
  }
  if (existsSync('/sys/class/net/pgcl0')) left.push('pgcl0');
  for (const dir of ['/var/lib/playground-cluster', '/run/playground-cluster']) if (existsSync(dir)) left.push(dir);
  // userns-remap's twin of the run root (/run/playground-cluster.100000.100000).
  for (const entry of readdirSync('/run')) if (/^playground-cluster\.\d+\.\d+$/.test(entry)) left.push(`/run/${entry}`);
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const point = line.split(' ')[4];
    if (point && isClusterPath(point)) left.push(`mount ${point}`);
  }
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // gone meanwhile
    }
    if (cmdline.includes('/run/playground-cluster/') || cmdline.includes('pgcluster-')) left.push(`process ${pid}`);
  }
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) for (const node of nodes) if (existsSync(`/sys/fs/cgroup/${hierarchy}${node.cgroupParent}`)) left.push(`cgroup ${hierarchy}${node.cgroupParent}`);
  return left;
}

/** The main engine's dockerd and its running containers: the cluster must leave them as they were. */
export async function mainEngine(): Promise<{ dockerdPid: string; running: string[] }> {
  const { stdout } = await run('docker', ['-H', 'unix:///var/run/docker.sock', 'ps', '--format', '{{.ID}} {{.Names}}']);
  return { dockerdPid: readFileSync('/var/run/docker.pid', 'utf8').trim(), running: stdout.trim().split('\n').filter(Boolean) };
}

/** Loop devices whose file is under the cluster's state directory (the nodes' instance disks). */
export async function clusterLoopDevices(): Promise<string[]> {
  const { stdout } = await run('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE']);
  return stdout.split('\n').filter((line) => line.includes('/var/lib/playground-cluster/'));
}
