/**
 * What of the cluster exists on this machine, and whether it works. `up` needs three answers:
 * nothing there (build it), all there and healthy (say so), or a half-made cluster (take it down,
 * then build). `down` uses the same list to say "nothing was up".
 */
import { existsSync, readdirSync } from 'node:fs';
import { remappedRunDirs, RUN_ROOT, STATE_ROOT, type NodePlan } from './cluster-plan';
import { nodeCgroupDirs } from './cgroups';
import { engineMatchesPlan, enginePids, engineVersion } from './engines';
import { forwardRuleExists } from './forward-rule';
import { currentClusterMounts } from './mounts';
import { inspectNetwork } from './network-namespaces';
import { swarmProblems } from './swarm';

export interface ClusterState {
  /** Everything of the cluster found on the machine, by name. Empty: nothing is up. */
  readonly present: string[];
  /** Why it is not a working cluster. Empty (with `present` not empty): healthy. */
  readonly problems: string[];
  /** The nodes whose engine answers on its socket. */
  readonly answering: ReadonlySet<number>;
}

export async function inspectCluster(nodes: readonly NodePlan[]): Promise<ClusterState> {
  const network = await inspectNetwork(nodes);
  const present = [...network.present];
  const problems = [...network.problems];

  if (await forwardRuleExists()) present.push('iptables rule');
  else problems.push('iptables rule is missing');

  const answering = new Set<number>();
  for (const node of nodes) {
    const pids = await enginePids(node);
    if (pids.length > 0) present.push(`dockerd of node ${node.index} (pid ${pids.join(', ')})`);
    if (pids.length !== 1) {
      problems.push(`node ${node.index}: ${pids.length} dockerd processes`);
      continue;
    }
    if (!(await engineMatchesPlan(pids[0]!, node))) problems.push(`node ${node.index}: dockerd runs with other arguments or environment than planned`);
    if (await engineVersion(node)) answering.add(node.index);
    else problems.push(`node ${node.index}: the engine does not answer on ${node.dockerHost}`);
  }
  if (answering.size === nodes.length) problems.push(...(await swarmProblems(nodes)));

  for (const dir of clusterDirectories()) present.push(`directory ${dir}`);
  const mounts = await currentClusterMounts();
  if (mounts.length > 0) present.push(`${mounts.length} mount(s) under ${STATE_ROOT} or ${RUN_ROOT}`);
  for (const node of nodes) {
    const dirs = await nodeCgroupDirs(node);
    if (dirs.length > 0) present.push(`cgroups /sys/fs/cgroup/*${node.cgroupParent} (${dirs.length} hierarchies)`);
  }

  return { present, problems, answering };
}

export function isHealthy(state: ClusterState): boolean {
  return state.present.length > 0 && state.problems.length === 0;
}

/** The cluster's directories that exist: its state root, its run root and the run root's remapped twins. */
export function clusterDirectories(): string[] {
  let run: string[] = [];
  try {
    run = readdirSync('/run');
  } catch {
    // no /run: nothing there
  }
  return [STATE_ROOT, RUN_ROOT, ...remappedRunDirs(run)].filter((dir) => existsSync(dir));
}
