/**
 * The nodes' cgroups: each engine puts its containers under /sys/fs/cgroup/<hierarchy>/
 * playground-cluster-N (--cgroup-parent), apart from the main engine's /docker. `down` uses them to
 * find container processes an engine left behind, then removes the directories once empty.
 */
import { lstat, readdir, readFile, rmdir } from 'node:fs/promises';
import { isClusterName, type NodePlan } from './cluster-plan';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** /sys/fs/cgroup/<hierarchy>/playground-cluster-N for each mounted hierarchy where it exists. */
export async function nodeCgroupDirs(node: NodePlan): Promise<string[]> {
  const hierarchies = await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  const dirs: string[] = [];
  for (const h of hierarchies) {
    // Combined controllers (cpu,cpuacct) are also reachable through symlinks: count each once.
    const st = await lstat(`${CGROUP_ROOT}/${h}`).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    const dir = `${CGROUP_ROOT}/${h}${node.cgroupParent}`;
    if ((await lstat(dir).catch(() => undefined))?.isDirectory()) dirs.push(dir);
  }
  return dirs;
}

/** A cgroup directory and its descendants, deepest first. Bounded in depth (containers nest one level). */
async function subtree(dir: string, depth = 0): Promise<string[]> {
  if (depth > 8) return [dir];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) out.push(...(await subtree(`${dir}/${entry.name}`, depth + 1)));
  }
  out.push(dir);
  return out;
}

/** Every process in the node's cgroups (its containers' processes). */
export async function pidsInCgroups(node: NodePlan): Promise<number[]> {
  const pids = new Set<number>();
  for (const top of await nodeCgroupDirs(node)) {
    for (const dir of await subtree(top)) {
      const text = await readFile(`${dir}/cgroup.procs`, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        const pid = Number.parseInt(line, 10);
        if (Number.isInteger(pid) && pid > 1) pids.add(pid);
      }
    }
  }
  return [...pids];
}

/** Removes the node's cgroup directories that hold no process (rmdir refuses the others); returns those left. */
export async function removeNodeCgroups(node: NodePlan): Promise<string[]> {
  const left: string[] = [];
  for (const top of await nodeCgroupDirs(node)) {
    if (!isClusterName(top)) throw new Error(`refusing to remove cgroup ${top}`);
    for (const dir of await subtree(top)) {
      await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') left.push(`${dir} (${err.code ?? err.message})`);
      });
    }
  }
  return left;
}
