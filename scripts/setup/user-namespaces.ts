import { appendFile, readFile, readlink } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { run, which } from './proc';
import type { StepProgress } from './reporter';

// The engine this set-up starts runs every container in a user namespace (`--userns-remap=default`):
// root in a sandbox is then an unprivileged user on the host, so the CAP_SYS_ADMIN that nested
// Docker needs cannot mount the host's disks or reach host-wide kernel settings (docs/security.md).

export const DOCKERD_ARGS = ['--userns-remap=default'] as const;
const REMAP_USER = 'dockremap';
const RANGE_SIZE = 65536;
const FIRST_RANGE_START = 100000;

export async function engineRemapsUsers(docker: Dockerode): Promise<boolean> {
  const info = (await docker.info()) as { SecurityOptions?: string[] };
  return (info.SecurityOptions ?? []).some((option) => option.includes('name=userns'));
}

/** Where a new subordinate range may start: after every range in the file, at 100000 at the least. */
export function nextFreeRangeStart(subordinateFile: string): number {
  let end = FIRST_RANGE_START;
  for (const line of subordinateFile.split('\n')) {
    const [, start, count] = line.trim().split(':');
    const rangeEnd = Number(start) + Number(count);
    if (Number.isFinite(rangeEnd) && rangeEnd > end) end = rangeEnd;
  }
  return end;
}

export function hasRange(subordinateFile: string, user: string): boolean {
  return subordinateFile.split('\n').some((line) => line.trim().startsWith(`${user}:`));
}

/** The "dockremap" user and its subordinate id ranges, made when missing (what userns-remap maps to). */
export async function ensureRemapUser(progress: StepProgress): Promise<void> {
  const known = await run('getent', ['passwd', REMAP_USER]).then((result) => result.code === 0, () => false);
  if (!known) {
    const useradd = (await which('useradd')) ?? 'useradd';
    progress.line(`creating the system user ${REMAP_USER} that sandboxes' root maps to`);
    await run(useradd, ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', REMAP_USER]);
  }
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (hasRange(text, REMAP_USER)) continue;
    const start = nextFreeRangeStart(text);
    progress.line(`adding ${REMAP_USER}:${start}:${RANGE_SIZE} to ${file}`);
    await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${REMAP_USER}:${start}:${RANGE_SIZE}\n`);
  }
}

/** Whether the dockerd with this pid is one this set-up started (its output goes to our log). */
export async function startedBySetup(pid: number, logPath: string): Promise<boolean> {
  return (await readlink(`/proc/${pid}/fd/1`).catch(() => '')) === logPath;
}

/** Stops a process and waits until it is gone (dockerd stops its containers first). */
export async function stopAndWait(pid: number, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

export function userNamespaceMessage(where: string): string {
  return [
    `The Docker engine at ${where} does not run containers in user namespaces, so root in a sandbox would be root on this host.`,
    'Add {"userns-remap": "default"} to /etc/docker/daemon.json and restart the engine (`sudo systemctl restart docker`),',
    'or stop it and let this set-up start one; or set SANDBOX_USERNS=off to run anyway, only for people you trust.',
  ].join('\n');
}
