import type Docker from 'dockerode';
import type { ManagedResource } from '../sandbox/driver';
import { DEFAULT_OWNER, isPooledContainerName, LABEL, resourceNames } from '../sandbox/labels';

/** What the engine lists of the playground's labelled containers, networks and volumes, as the reaper reads it. */
export function managedResources(
  containers: Docker.ContainerInfo[],
  networks: Docker.NetworkInspectInfo[],
  volumes: Array<{ Name: string; Labels: Record<string, string> | null }>,
): ManagedResource[] {
  const resources: ManagedResource[] = [];
  for (const c of containers) {
    const key = c.Labels[LABEL.session];
    const network = key ? c.NetworkSettings?.Networks?.[resourceNames.network(key)] : undefined;
    resources.push(
      describe('container', c.Id, c.Labels, {
        running: c.State === 'running',
        ip: network?.IPAddress ?? '',
        pooled: (c.Names ?? []).some(isPooledContainerName),
      }),
    );
  }
  for (const n of networks) resources.push(describe('network', n.Id, n.Labels ?? {}));
  for (const v of volumes) resources.push(describe('volume', v.Name, v.Labels ?? {}));
  return resources;
}

function parseDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function describe(
  kind: ManagedResource['kind'],
  id: string,
  labels: Record<string, string>,
  extra: { running: boolean; ip: string; pooled: boolean } = { running: false, ip: '', pooled: false },
): ManagedResource {
  return {
    kind,
    id,
    role: labels[LABEL.role] ?? '',
    sessionKey: labels[LABEL.session],
    owner: labels[LABEL.owner] ?? DEFAULT_OWNER,
    instance: labels[LABEL.instance],
    expiresAt: parseDate(labels[LABEL.expiresAt]),
    createdAt: parseDate(labels[LABEL.createdAt]),
    ...extra,
  };
}
