/**
 * `down`: removes everything `up` made, in the order that lets each piece go: the Swarm while the
 * engines answer, the engines (and whatever they leave running), their mounts, the network, the
 * iptables rule, the directories, the cgroups. Every removal is by a cluster name or path; the main
 * engine, its socket and /var/lib/docker are never named here. The engines' logs stay in /var/log.
 */
import { rm } from 'node:fs/promises';
import { SetupError } from '../setup/errors';
import { isClusterPath, RUN_ROOT, STATE_ROOT, type NodePlan } from './cluster-plan';
import { pidsInCgroups, removeNodeCgroups } from './cgroups';
import { clusterDirectories, inspectCluster } from './cluster-state';
import { killLeftovers, stopEngines } from './engines';
import { removeForwardRule } from './forward-rule';
import { currentClusterMounts, unmountClusterPaths } from './mounts';
import { pidsInNamespace, removeNetwork } from './network-namespaces';
import type { Progress } from './progress';
import { detachNodeDisks } from './playground-servers';
import { leaveSwarm } from './swarm';

export interface DownResult {
  /** Whether anything of the cluster was there. */
  readonly wasUp: boolean;
}

export async function takeDown(nodes: readonly NodePlan[], progress: Progress): Promise<DownResult> {
  const state = await inspectCluster(nodes);
  if (state.present.length === 0) return { wasUp: false };
  progress.line(`taking down: ${state.present.join(', ')}`);
  const left: string[] = [];

  await leaveSwarm(nodes, state.answering, progress);
  left.push(...(await stopEngines(nodes, progress)));

  // A dockerd killed, or one that crashed, leaves containerd, shims and containers running.
  const strays: number[] = [];
  for (const node of nodes) strays.push(...(await pidsInNamespace(node)), ...(await pidsInCgroups(node)));
  left.push(...(await killLeftovers(strays, progress)));

  let unmounted = 0;
  const stillMounted = await unmountClusterPaths(() => unmounted++);
  if (unmounted > 0) progress.line(`unmounted ${unmounted} leftover mount(s) under ${STATE_ROOT} and ${RUN_ROOT}`);
  left.push(...stillMounted.map((m) => `mount ${m}`));
  // The node servers' instance disks: loop devices over files under STATE_ROOT, free once unmounted.
  await detachNodeDisks(progress);

  left.push(...(await removeNetwork(nodes, progress)));
  left.push(...(await removeForwardRule(progress)));

  // Only with nothing mounted below them: a recursive delete would go through a mount.
  if ((await currentClusterMounts()).length === 0) {
    const removed: string[] = [];
    for (const dir of clusterDirectories()) {
      if (!isClusterPath(dir)) throw new Error(`refusing to delete ${dir}`);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 }).then(
        () => removed.push(dir),
        (err: Error) => left.push(`directory ${dir} (${err.message})`),
      );
    }
    if (removed.length > 0) progress.line(`removed ${removed.join(', ')}`);
  } else {
    left.push(`directories ${STATE_ROOT} and ${RUN_ROOT} (mounts remain below them)`);
  }

  for (const node of nodes) left.push(...(await removeNodeCgroups(node)));

  const after = await inspectCluster(nodes);
  for (const p of after.present) if (!left.some((l) => l.includes(p))) left.push(p);
  if (left.length > 0) throw new SetupError(`the cluster is not completely down; left: ${left.join('; ')}`);
  return { wasUp: true };
}
