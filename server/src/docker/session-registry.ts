import bcrypt from 'bcryptjs';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { SESSION_REGISTRY_USER } from '../sandbox/contract';
import { resourceNames, sessionLabels, type SessionLabelContext } from '../sandbox/labels';
import { NO_FORWARDING_SYSCTLS } from './no-forwarding';

/** What the registry answers to on the session network: `registry:5000` in `docker login`. */
export const SESSION_REGISTRY_ALIAS = 'registry';

/** The size of a session registry's storage when disks are limited (SANDBOX_DISK): pushes past it fail, the host's disk is untouched. */
export const SESSION_REGISTRY_DISK_BYTES = 2 * 1024 ** 3;

/** The htpasswd line of a session's registry (bcrypt, as CNCF distribution requires). */
export function htpasswdLine(password: string): string {
  return `${SESSION_REGISTRY_USER}:${bcrypt.hashSync(password, 8)}\n`;
}

/**
 * Starts a session's own registry (CNCF distribution, the playground's registry image, writable,
 * htpasswd auth) on the session network under the alias `registry`, with its data on a volume that
 * carries the session's labels, so removing the session removes it and everything pushed to it.
 */
export async function startSessionRegistry(
  docker: Docker,
  registryImage: string,
  context: SessionLabelContext,
  password: string,
  /** A loop device holding a size-limited file system for the registry's data (instance-disks.ts), or none. */
  device?: string,
): Promise<void> {
  const { sessionKey } = context;
  const volume = resourceNames.registryVolume(sessionKey);
  await docker.createVolume({
    Name: volume,
    Labels: sessionLabels(context, 'registry-data'),
    ...(device ? { Driver: 'local', DriverOpts: { type: 'ext4', device } } : {}),
  });
  const network = resourceNames.network(sessionKey);
  const container = await docker.createContainer({
    name: resourceNames.registry(sessionKey),
    Image: registryImage,
    Cmd: ['/etc/docker/registry/config-writable.yml'],
    Env: ['REGISTRY_AUTH=htpasswd', 'REGISTRY_AUTH_HTPASSWD_REALM=Session registry', 'REGISTRY_AUTH_HTPASSWD_PATH=/tmp/htpasswd'],
    Labels: sessionLabels(context, 'session-registry'),
    HostConfig: {
      Binds: [`${volume}:/var/lib/docker-registry`],
      NetworkMode: network,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
      Memory: 256 * 1024 ** 2,
      PidsLimit: 128,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Sysctls: { ...NO_FORWARDING_SYSCTLS },
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [SESSION_REGISTRY_ALIAS] } } },
  });
  const archive = pack();
  archive.entry({ name: 'htpasswd', mode: 0o644 }, htpasswdLine(password));
  archive.finalize();
  await container.putArchive(archive, { path: '/tmp' });
  await container.start();
}
