/**
 * Mounts the engines leave under their directories (overlay2 layers, container network namespaces,
 * containerd's state) when they die without cleaning up. They must be gone before `down` deletes
 * the directories: a recursive delete would go through a mount into what it shows.
 */
import { readFile } from 'node:fs/promises';
import { isClusterPath } from './cluster-plan';
import { tryCommand } from './commands';

/** Decodes mountinfo's octal escapes (`\040` is a space). */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** The mount points of a /proc/<pid>/mountinfo text (field 5), in mount order. */
export function parseMountPoints(mountinfo: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    if (fields.length >= 5 && fields[4]) points.push(unescapeMountPath(fields[4]));
  }
  return points;
}

/** The cluster's mount points, deepest (and latest) first: the order they can be unmounted in. */
export function clusterMountPoints(mountinfo: string): string[] {
  const points = parseMountPoints(mountinfo).filter(isClusterPath);
  // Later mounts first (one may sit on another at the same point), then by depth.
  const ordered = points.map((p, i) => ({ p, i })).reverse();
  ordered.sort((a, b) => b.p.split('/').length - a.p.split('/').length);
  return ordered.map((o) => o.p);
}

export async function currentClusterMounts(): Promise<string[]> {
  return clusterMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
}

/**
 * Unmounts everything under the cluster's directories, in a few bounded passes (a lazy unmount
 * when a plain one is refused: the processes holding it are already killed by then).
 * Returns the mount points still there.
 */
export async function unmountClusterPaths(onUnmount: (path: string) => void): Promise<string[]> {
  for (let pass = 0; pass < 5; pass++) {
    const points = await currentClusterMounts();
    if (points.length === 0) return [];
    for (const point of points) {
      const plain = await tryCommand('umount', [point], { timeoutMs: 15_000 });
      if (plain.code === 0 || (await tryCommand('umount', ['-l', point], { timeoutMs: 15_000 })).code === 0) onUnmount(point);
    }
  }
  return currentClusterMounts();
}
