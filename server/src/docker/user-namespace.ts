import { existsSync } from 'node:fs';
import { chown, readFile } from 'node:fs/promises';
import type Docker from 'dockerode';

// Sandboxes run in a user namespace (the engine's userns-remap): root inside is an unprivileged
// user on the host, so CAP_SYS_ADMIN inside cannot mount the host's disks or reach host-wide kernel
// settings (docs/security.md). Two things then need the host's help, done here by the server (root).

/** The host uid and gid that root inside a sandbox is. */
export interface RemappedRoot {
  uid: number;
  gid: number;
}

/** The first subordinate range of `user` in the text of /etc/subuid or /etc/subgid. */
export function firstSubordinateId(text: string, user: string): number | undefined {
  for (const line of text.split('\n')) {
    const [name, start, count] = line.trim().split(':');
    if (name === user && Number.isInteger(Number(start)) && Number(count) >= 65536) return Number(start);
  }
  return undefined;
}

/**
 * The engine's remapped root, or undefined when the engine does not remap (SecurityOptions lacks
 * name=userns). With `userns-remap=default` the engine maps root to the first ranges of "dockremap".
 */
export async function detectRemappedRoot(docker: Docker): Promise<RemappedRoot | undefined> {
  const info = (await docker.info()) as { SecurityOptions?: string[] };
  if (!(info.SecurityOptions ?? []).some((option) => option.includes('name=userns'))) return undefined;
  const [subuid, subgid] = await Promise.all([readFile('/etc/subuid', 'utf8'), readFile('/etc/subgid', 'utf8')]);
  const uid = firstSubordinateId(subuid, 'dockremap');
  const gid = firstSubordinateId(subgid, 'dockremap');
  if (uid === undefined || gid === undefined) {
    throw new Error('the engine remaps user namespaces, but /etc/subuid or /etc/subgid has no "dockremap" range');
  }
  return { uid, gid };
}

/**
 * The cgroup directories to hand to a sandbox's root, from its /proc/<pid>/cgroup: nested Docker
 * makes child groups for its containers there. Only the directory and the files that move processes
 * are handed over, never the sandbox's own limit files, so it cannot raise its own limits; children
 * stay inside them (the hierarchy enforces the parent's limits).
 */
export function delegationTargets(procCgroup: string, cgroupRoot = '/sys/fs/cgroup', unifiedRoot = cgroupRoot): string[] {
  const targets: string[] = [];
  for (const line of procCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
    if (!match) continue;
    const [, hierarchy, controllers, groupPath] = match;
    if (groupPath === '/') continue; // not in a group of its own: nothing to delegate
    let dir: string;
    let files: string[];
    if (hierarchy === '0') {
      dir = `${unifiedRoot}${groupPath}`; // cgroup v2 (unified; under unified/ on a hybrid host)
      files = ['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control'];
    } else {
      const mount = controllers!.replace(/^name=/, '');
      dir = `${cgroupRoot}/${mount}${groupPath}`;
      files = ['cgroup.procs', 'tasks', 'cgroup.clone_children'];
    }
    targets.push(dir, ...files.map((file) => `${dir}/${file}`));
  }
  return targets;
}

/** Hands the sandbox's cgroups to its remapped root. Missing files (another layout) are skipped. */
export async function delegateCgroups(pid: number, root: RemappedRoot): Promise<void> {
  const procCgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  const hybrid = existsSync('/sys/fs/cgroup/unified/cgroup.procs');
  for (const target of delegationTargets(procCgroup, '/sys/fs/cgroup', hybrid ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup')) {
    await chown(target, root.uid, root.gid).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
