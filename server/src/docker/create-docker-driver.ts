import type Docker from 'dockerode';
import type { Config } from '../config';
import type { SessionFirewall } from '../firewall/session-firewall';
import type { Logger } from '../log';
import type { SubnetAllocator } from '../addresses/subnet-allocator';
import { registryImageRef, sandboxImageRef } from '../sandbox/image-refs';
import type { InstanceDisks } from '../sandbox/instance-disks';
import { createDockerClient } from './docker-client';
import { DockerDriver } from './docker-driver';
import { ensureRegistryCache } from './registry-cache';

/** What the host gives the driver: main.ts sets these up (they need root on the engine's host). */
export interface HostDuties {
  firewall: SessionFirewall;
  disks: InstanceDisks;
  subnets: SubnetAllocator;
  /** Each session's registry password (derived from the server's secret). */
  registryPasswordOf: (sessionKey: string) => string;
}

/** The driver on the engine of DOCKER_HOST, with the pull-through cache of REGISTRY_CACHE started. */
export async function createDockerDriver(config: Config, logger: Logger, host: HostDuties): Promise<DockerDriver> {
  const docker = createDockerClient(config.dockerHost);
  const registryCache = await startRegistryCache(docker, config, logger, host.disks);
  return new DockerDriver({
    owner: config.playgroundName,
    subnets: host.subnets,
    firewall: host.firewall,
    disks: host.disks,
    userNamespaces: config.userNamespaces,
    sessionRegistry: { image: registryImageRef(config.repoRoot), passwordOf: host.registryPasswordOf },
    registryCache,
    docker,
    sandboxImage: config.sandboxImage ?? sandboxImageRef(config.repoRoot),
    logger,
    limits: config.sandboxLimits,
  });
}

/**
 * The pull-through cache of REGISTRY_CACHE, or undefined (off, or it could not be started: then
 * sandboxes pull what the mirror lacks from Docker Hub directly, as without a cache).
 */
async function startRegistryCache(docker: Docker, config: Config, logger: Logger, disks: InstanceDisks): Promise<string | undefined> {
  if (!config.registryCache) return undefined;
  try {
    return await ensureRegistryCache(docker, registryImageRef(config.repoRoot), config.registryCache, logger, {
      disks,
      sizeBytes: config.registryCacheDiskBytes,
    });
  } catch (error) {
    logger.warn('registry cache not started (REGISTRY_CACHE=off skips it): images the mirror lacks come from Docker Hub directly', { error: (error as Error).message });
    return undefined;
  }
}
