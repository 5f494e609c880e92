/**
 * The Swarm over the three engines: node 1 manages, nodes 2 and 3 join as workers. Every node
 * advertises its bridge address (10.98.0.x) explicitly: each engine also has a docker0, and
 * Swarm must not pick that. The nodes share one hostname (one machine), so each gets the label
 * playground-cluster.node=N for placement constraints (`node.labels.playground-cluster.node==2`).
 */
import { SetupError } from '../setup/errors';
import { swarmInitArgs, swarmJoinArgs, type NodePlan } from './cluster-plan';
import { mustRun, sleep, tryCommand } from './commands';
import type { Progress } from './progress';

const READY_TIMEOUT_MS = 60_000;
const SWARM_COMMAND_TIMEOUT_MS = 60_000;
export const NODE_LABEL = 'playground-cluster.node';

export interface SwarmNode {
  readonly id: string;
  readonly status: string;
  readonly availability: string;
  readonly managerStatus: string;
}

/** Parses `docker node ls --format '{{.ID}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'`. */
export function parseNodeList(text: string): SwarmNode[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[0] !== '')
    .map(([id = '', status = '', availability = '', managerStatus = '']) => ({ id, status, availability, managerStatus }));
}

export async function listSwarmNodes(manager: NodePlan): Promise<SwarmNode[] | undefined> {
  const r = await tryCommand('docker', ['-H', manager.dockerHost, 'node', 'ls', '--format', '{{.ID}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'], { timeoutMs: 10_000 });
  return r.code === 0 ? parseNodeList(r.stdout) : undefined;
}

/** The engine's own view: `active true` on a manager, `active false` on a worker, `inactive` outside a Swarm. */
async function localSwarmState(node: NodePlan): Promise<{ state: string; nodeId: string; manager: boolean } | undefined> {
  const r = await tryCommand('docker', ['-H', node.dockerHost, 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeID}}'], { timeoutMs: 10_000 });
  if (r.code !== 0) return undefined;
  const [state = '', control = '', nodeId = ''] = r.stdout.trim().split(/\s+/);
  return { state, nodeId, manager: control === 'true' };
}

/** What is wrong with the Swarm, if anything (for `up` on a cluster that may already be there). */
export async function swarmProblems(nodes: readonly NodePlan[]): Promise<string[]> {
  const problems: string[] = [];
  for (const node of nodes) {
    const local = await localSwarmState(node);
    if (!local) problems.push(`node ${node.index}: no swarm state`);
    else if (local.state !== 'active' || local.manager !== (node.role === 'manager')) problems.push(`node ${node.index}: swarm ${local.state}, manager=${local.manager}`);
  }
  const manager = nodes.find((n) => n.role === 'manager');
  const list = manager ? await listSwarmNodes(manager) : undefined;
  const ready = list?.filter((n) => n.status === 'Ready').length ?? 0;
  if (ready !== nodes.length) problems.push(`swarm: ${ready} of ${nodes.length} nodes Ready`);
  return problems;
}

/** `swarm init` on the manager, `swarm join` of the workers, then waits until all are Ready (bounded). */
export async function formSwarm(nodes: readonly NodePlan[], progress: Progress): Promise<void> {
  const manager = nodes.find((n) => n.role === 'manager');
  if (!manager) throw new SetupError('the plan has no manager node');
  await mustRun('docker', swarmInitArgs(manager), { timeoutMs: SWARM_COMMAND_TIMEOUT_MS });
  progress.line(`node ${manager.index}: swarm initialised, manager at ${manager.address}`);
  const token = (await mustRun('docker', ['-H', manager.dockerHost, 'swarm', 'join-token', '-q', 'worker'], { timeoutMs: 15_000 })).trim();
  for (const worker of nodes.filter((n) => n.role === 'worker')) {
    await mustRun('docker', swarmJoinArgs(worker, manager, token), { timeoutMs: SWARM_COMMAND_TIMEOUT_MS });
    progress.line(`node ${worker.index}: joined as a worker (${worker.address})`);
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let seen: SwarmNode[] = [];
  for (let attempt = 0; attempt < 120 && Date.now() < deadline; attempt++) {
    seen = (await listSwarmNodes(manager)) ?? [];
    if (seen.length === nodes.length && seen.every((n) => n.status === 'Ready')) break;
    await sleep(500);
  }
  const ready = seen.filter((n) => n.status === 'Ready').length;
  if (ready !== nodes.length) {
    throw new SetupError(`swarm: ${ready} of ${nodes.length} nodes Ready after ${READY_TIMEOUT_MS / 1000} s; see ${nodes.map((n) => n.logPath).join(', ')}`, seen.map((n) => `${n.id} ${n.status} ${n.availability} ${n.managerStatus}`));
  }

  for (const node of nodes) {
    const local = await localSwarmState(node);
    if (local?.nodeId) await mustRun('docker', ['-H', manager.dockerHost, 'node', 'update', '--label-add', `${NODE_LABEL}=${node.index}`, local.nodeId], { timeoutMs: 15_000 });
  }
  progress.line(`swarm: ${ready} nodes Ready (labelled ${NODE_LABEL}=1..${nodes.length})`);
}

/** Each engine that answers leaves the Swarm (workers first, then the manager, which ends it). */
export async function leaveSwarm(nodes: readonly NodePlan[], answering: ReadonlySet<number>, progress: Progress): Promise<void> {
  const ordered = [...nodes].sort((a, b) => (a.role === b.role ? 0 : a.role === 'worker' ? -1 : 1));
  for (const node of ordered) {
    if (!answering.has(node.index)) continue;
    const local = await localSwarmState(node);
    if (!local || local.state === 'inactive') continue;
    const r = await tryCommand('docker', ['-H', node.dockerHost, 'swarm', 'leave', '--force'], { timeoutMs: 30_000 });
    progress.line(`node ${node.index}: ${r.code === 0 ? 'left the swarm' : `swarm leave failed (${r.stderr.trim()}); its state goes with its data directory`}`);
  }
}
