// What the managed containers look like, for failure reports and clean-up checks. Talks to the
// same engine the server uses (DOCKER_HOST or the default socket).
import Docker from 'dockerode';
import { demultiplexLog } from '../server/src/docker/docker-log';
import { LABEL, MANAGED_BY } from '../server/src/sandbox/labels';

export const MANAGED_BY_LABEL = `${LABEL.managedBy}=${MANAGED_BY}`;
export const SESSION_LABEL = LABEL.session;

const DOCKER_TIMEOUT_MS = 10_000;

let client: Docker | undefined;
function docker(): Docker {
  client ??= new Docker();
  return client;
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${DOCKER_TIMEOUT_MS} ms`)), DOCKER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Containers (running or not) carrying every one of the given labels (`key=value` or `key`). */
export async function listContainers(labels: string[]): Promise<Docker.ContainerInfo[]> {
  return withTimeout(docker().listContainers({ all: true, filters: { label: labels } }), 'listing containers');
}

/** Containers of one session, found by its key (sessionKey(id)). */
export async function sessionContainers(key: string): Promise<Docker.ContainerInfo[]> {
  return listContainers([MANAGED_BY_LABEL, `${SESSION_LABEL}=${key}`]);
}

/** `docker ps -a` for the playground's containers, as text. */
export async function describeManagedContainers(): Promise<string> {
  const containers = await listContainers([MANAGED_BY_LABEL]);
  if (containers.length === 0) return 'No containers labelled ' + MANAGED_BY_LABEL + '.\n';
  const rows = containers.map((container) => [
    container.Id.slice(0, 12),
    container.Image,
    container.State,
    container.Status,
    container.Names.map((name) => name.replace(/^\//, '')).join(','),
    Object.entries(container.Labels)
      .filter(([key]) => key.startsWith('dev.playground.'))
      .map(([key, value]) => `${key.slice('dev.playground.'.length)}=${value}`)
      .join(' '),
  ]);
  const header = ['CONTAINER ID', 'IMAGE', 'STATE', 'STATUS', 'NAMES', 'LABELS'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** The last lines of each managed container's log, at most `limit` containers. */
export async function managedContainerLogs(limit = 6, tail = 80): Promise<string> {
  const containers = (await listContainers([MANAGED_BY_LABEL])).slice(0, limit);
  const sections: string[] = [];
  for (const info of containers) {
    let text: string;
    try {
      const raw = await withTimeout(
        docker().getContainer(info.Id).logs({ stdout: true, stderr: true, tail, follow: false }),
        'reading logs',
      );
      text = demultiplexLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
    } catch (error) {
      text = `(could not read logs: ${(error as Error).message})`;
    }
    sections.push(`=== ${info.Names.join(',')} (${info.Id.slice(0, 12)}, ${info.State}) ===\n${text}`);
  }
  return sections.join('\n');
}
