/**
 * The nodes' network: one namespace per node (its engine sees only its own eth0, so three engines
 * on one machine look like three hosts), each joined by a veth pair to the host bridge pgcl0.
 * Nothing here routes beyond the bridge: the nodes reach each other and the host's 10.98.0.1.
 */
import { existsSync } from 'node:fs';
import { BRIDGE, BRIDGE_ADDRESS, BRIDGE_PREFIX_LENGTH, isClusterName, type NodePlan } from './cluster-plan';
import { mustRun, tryCommand } from './commands';
import type { Progress } from './progress';

async function linkExists(name: string): Promise<boolean> {
  return (await tryCommand('ip', ['link', 'show', 'dev', name], { timeoutMs: 5000 })).code === 0;
}

/** `ip -br addr` of a device (in a namespace or on the host): its state and addresses, '' when absent. */
async function briefAddress(dev: string, netns?: string): Promise<string> {
  const args = [...(netns ? ['-n', netns] : []), '-br', 'addr', 'show', 'dev', dev];
  const result = await tryCommand('ip', args, { timeoutMs: 5000 });
  return result.code === 0 ? result.stdout.trim() : '';
}

export interface NetworkState {
  /** What exists, by name (for `down` and for a half-made cluster's report). */
  readonly present: string[];
  /** What is missing or wrong for a working cluster. */
  readonly problems: string[];
}

export async function inspectNetwork(nodes: readonly NodePlan[]): Promise<NetworkState> {
  const present: string[] = [];
  const problems: string[] = [];
  const bridge = await briefAddress(BRIDGE);
  if (bridge) present.push(`bridge ${BRIDGE}`);
  if (!bridge.includes(`${BRIDGE_ADDRESS}/${BRIDGE_PREFIX_LENGTH}`)) problems.push(`bridge ${BRIDGE} with ${BRIDGE_ADDRESS}/${BRIDGE_PREFIX_LENGTH} is missing`);
  for (const node of nodes) {
    if (await linkExists(node.hostVeth)) present.push(`veth ${node.hostVeth}`);
    else problems.push(`veth ${node.hostVeth} is missing`);
    if (!existsSync(node.netnsPath)) {
      problems.push(`network namespace ${node.netns} is missing`);
      continue;
    }
    present.push(`network namespace ${node.netns}`);
    const inside = await briefAddress(node.nodeVeth, node.netns);
    if (!inside.includes(node.cidr) || !/\bUP\b/.test(inside)) problems.push(`${node.nodeVeth} in ${node.netns} is not up with ${node.cidr}`);
  }
  return { present, problems };
}

/** Makes the bridge, the namespaces and the veth pairs (from nothing: `up` clears leftovers first). */
export async function createNetwork(nodes: readonly NodePlan[], progress: Progress): Promise<void> {
  await mustRun('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  await mustRun('ip', ['addr', 'add', `${BRIDGE_ADDRESS}/${BRIDGE_PREFIX_LENGTH}`, 'dev', BRIDGE]);
  await mustRun('ip', ['link', 'set', BRIDGE, 'up']);
  for (const node of nodes) {
    await mustRun('ip', ['netns', 'add', node.netns]);
    // The node's end is made inside its namespace directly, so it can be called eth0 as on a host.
    await mustRun('ip', ['link', 'add', node.hostVeth, 'type', 'veth', 'peer', 'name', node.nodeVeth, 'netns', node.netns]);
    await mustRun('ip', ['link', 'set', node.hostVeth, 'master', BRIDGE, 'up']);
    await mustRun('ip', ['-n', node.netns, 'link', 'set', 'lo', 'up']);
    await mustRun('ip', ['-n', node.netns, 'addr', 'add', node.cidr, 'dev', node.nodeVeth]);
    await mustRun('ip', ['-n', node.netns, 'link', 'set', node.nodeVeth, 'up']);
    await mustRun('ip', ['-n', node.netns, 'route', 'add', 'default', 'via', BRIDGE_ADDRESS]);
  }
  progress.line(`network: bridge ${BRIDGE} ${BRIDGE_ADDRESS}/${BRIDGE_PREFIX_LENGTH}; ${nodes.map((n) => `${n.netns} ${n.address}`).join(', ')}`);
}

/**
 * Removes the namespaces, veths and bridge that exist (each checked by name first). Deleting a
 * namespace destroys its eth0 and with it the host end; the host ends are deleted too in case a
 * namespace was already gone. Returns what could not be removed.
 */
export async function removeNetwork(nodes: readonly NodePlan[], progress: Progress): Promise<string[]> {
  const left: string[] = [];
  for (const node of nodes) {
    if (!isClusterName(node.netns) || !isClusterName(node.hostVeth)) throw new Error(`refusing to remove ${node.netns} / ${node.hostVeth}`);
    if (existsSync(node.netnsPath)) {
      const r = await tryCommand('ip', ['netns', 'delete', node.netns], { timeoutMs: 10_000 });
      if (r.code === 0) progress.line(`removed network namespace ${node.netns}`);
      else left.push(`network namespace ${node.netns} (${r.stderr.trim()})`);
    }
    if (await linkExists(node.hostVeth)) {
      const r = await tryCommand('ip', ['link', 'delete', node.hostVeth], { timeoutMs: 10_000 });
      if (r.code !== 0 && (await linkExists(node.hostVeth))) left.push(`veth ${node.hostVeth} (${r.stderr.trim()})`);
    }
  }
  if (await linkExists(BRIDGE)) {
    const r = await tryCommand('ip', ['link', 'delete', BRIDGE, 'type', 'bridge'], { timeoutMs: 10_000 });
    if (r.code === 0) progress.line(`removed bridge ${BRIDGE}`);
    else left.push(`bridge ${BRIDGE} (${r.stderr.trim()})`);
  }
  return left;
}

/** Pids of the processes in a node's namespace (its dockerd, containerd and shims). */
export async function pidsInNamespace(node: NodePlan): Promise<number[]> {
  if (!existsSync(node.netnsPath)) return [];
  const r = await tryCommand('ip', ['netns', 'pids', node.netns], { timeoutMs: 10_000 });
  if (r.code !== 0) return [];
  return r.stdout.split('\n').map((l) => Number.parseInt(l.trim(), 10)).filter((n) => Number.isInteger(n) && n > 1);
}
