import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { sessionLogName, type Logger } from '../log';
import type { ExecOptions, ExecOutcome, InstanceSpec, ManagedResource, SandboxDriver, ShellProcess, StartedInstance } from '../sandbox/driver';
import { asEngineError, dockerStatus, ignoreGone, isNotFound } from './docker-errors';
import { DEFAULT_OWNER, LABEL, MANAGED_BY, resourceNames, sessionLabels } from '../sandbox/labels';
import { AddressesExhaustedError } from '../errors';
import { formatCidr, formatIpv4, parseCidr, type Cidr } from '../addresses/subnet-pool';
import type { SubnetAllocator } from '../addresses/subnet-allocator';
import { SANDBOX_DOCKER_DATA_PATH, SANDBOX_REGISTRY_MIRROR_ENV } from '../sandbox/contract';
import { CACHE_URL_FOR_SANDBOXES, MIRROR_URL_FOR_SANDBOXES, REGISTRY_CACHE_NETWORK_ALIAS, REGISTRY_CONTAINER_NAME, REGISTRY_NETWORK_ALIAS, registryOwner } from '../sandbox/registry-names';
import { noFirewall, type SessionFirewall } from '../firewall/session-firewall';
import type { InstanceDisks } from '../sandbox/instance-disks';
import type { EngineStatsSample } from '../sandbox/instance-stats';
import { delegateCgroups, detectRemappedRoot, type RemappedRoot } from './user-namespace';
import { sandboxHostConfig } from './sandbox-host-config';
import { SESSION_REGISTRY_DISK_BYTES, startSessionRegistry } from './session-registry';
import { defaultSandboxLimits, type SandboxLimits } from '../sandbox/sandbox-limits';
import { limitsHostConfig } from './limits-host-config';
import { waitForReadyLine } from '../sandbox/readiness';
import { runExec } from './docker-exec';
import { endKeptShell, openKeptShell } from './docker-shells';
import { managedResources } from './managed-resources';
import { DockerFiles } from './docker-files';
import type { SandboxFiles } from '../sandbox/sandbox-files';

export interface DockerDriverOptions {
  docker: Docker;
  sandboxImage: string;
  logger: Logger;
  /** Memory, CPU and process limits of every sandbox; default: defaultSandboxLimits() (2g, 1 CPU, 1024). */
  limits?: SandboxLimits;
  /** Host firewall rules for each session network (EGRESS_POLICY); default: none. */
  firewall?: SessionFirewall;
  /** Size-limited file systems for nested Docker's data (SANDBOX_DISK); default: plain volumes. */
  disks?: InstanceDisks;
  /**
   * SANDBOX_USERNS: 'required' refuses to start sandboxes on an engine that does not run them in
   * user namespaces (userns-remap); 'off' allows it (not safe for strangers: docs/security.md).
   */
  userNamespaces?: 'required' | 'off';
  /** Each session's own registry: the registry image and its password (default: none is started). */
  sessionRegistry?: { image: string; passwordOf: (sessionKey: string) => string };
  /**
   * The pull-through cache's container (registry-cache.ts), joined to every session network as
   * registry-cache and tried by nested dockerds after the mirror; default: no cache.
   */
  registryCache?: string;
  /** This playground's name (PLAYGROUND_NAME), on every label; default "default". */
  owner?: string;
  /** The address plan (SESSION_SUBNETS) session networks are carved from; default: Docker's own pools. */
  subnets?: SubnetAllocator;
}

export class DockerDriver implements SandboxDriver {
  private readonly docker: Docker;
  private readonly sandboxImage: string;
  private readonly logger: Logger;
  private readonly limits: SandboxLimits;
  private readonly firewall: SessionFirewall;
  private readonly disks: InstanceDisks | undefined;
  private readonly userNamespaces: 'required' | 'off';
  private readonly sessionRegistry: DockerDriverOptions['sessionRegistry'];
  private readonly registryCache: string | undefined;
  /** The engine's remapped root (undefined: no userns-remap), asked once the engine answers. */
  private remappedRoot: Promise<RemappedRoot | undefined> | undefined;

  private readonly owner: string;
  private readonly subnets: SubnetAllocator | undefined;
  readonly files: SandboxFiles;

  constructor(options: DockerDriverOptions) {
    this.owner = options.owner ?? DEFAULT_OWNER;
    this.subnets = options.subnets;
    this.userNamespaces = options.userNamespaces ?? 'off';
    this.sessionRegistry = options.sessionRegistry;
    this.registryCache = options.registryCache;
    this.disks = options.disks?.enabled ? options.disks : undefined;
    this.firewall = options.firewall ?? noFirewall;
    this.docker = options.docker;
    this.sandboxImage = options.sandboxImage;
    this.logger = options.logger;
    this.limits = options.limits ?? defaultSandboxLimits();
    this.files = new DockerFiles(this.docker);
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async readinessProblem(): Promise<string | null> {
    try {
      await this.docker.ping();
    } catch (error) {
      return `Docker engine not reachable (${(error as Error).message})`;
    }
    try {
      await this.docker.getImage(this.sandboxImage).inspect();
    } catch {
      return `sandbox image ${this.sandboxImage} is missing: run "npm run setup"`;
    }
    try {
      const registry = await this.docker.getContainer(REGISTRY_CONTAINER_NAME).inspect();
      if (!registry.State.Running) return `registry mirror container ${REGISTRY_CONTAINER_NAME} is not running`;
    } catch {
      return `registry mirror container ${REGISTRY_CONTAINER_NAME} is missing: run "npm run setup"`;
    }
    try {
      await this.sandboxUser();
    } catch (error) {
      return (error as Error).message;
    }
    return null;
  }

  /**
   * Root of the sandboxes as the host sees it, or undefined when the engine does not remap (allowed
   * only with SANDBOX_USERNS=off). Throws, saying what to do, when user namespaces are required.
   */
  private async sandboxUser(): Promise<RemappedRoot | undefined> {
    this.remappedRoot ??= detectRemappedRoot(this.docker).catch((error) => {
      this.remappedRoot = undefined; // ask again next time (the engine may not answer yet)
      throw error;
    });
    const root = await this.remappedRoot;
    if (!root && this.userNamespaces === 'required') {
      throw new Error(
        'the Docker engine does not run containers in user namespaces, so root in a sandbox would be root on this host: ' +
          'run "npm run setup" (it starts the engine with userns-remap), add {"userns-remap": "default"} to /etc/docker/daemon.json ' +
          'and restart the engine, or set SANDBOX_USERNS=off for people you trust',
      );
    }
    return root;
  }

  async createSessionNetwork(sessionKey: string, expiresAt: Date, createdAt: Date): Promise<void> {
    const name = resourceNames.network(sessionKey);
    const context = { owner: this.owner, sessionKey, expiresAt, createdAt };
    try {
      const subnet = await this.createNetworkInRange({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: sessionLabels(context, 'session-network'),
        // A bridge name of our own, so the host firewall can name this session's traffic.
        Options: { 'com.docker.network.bridge.name': resourceNames.bridge(sessionKey) },
      });
      await this.firewall.protect(resourceNames.bridge(sessionKey), subnet);
      // Each session has a registry of its own to push to and pull from (registry:5000).
      const registry = this.sessionRegistry;
      if (registry) {
        const volume = resourceNames.registryVolume(sessionKey);
        const device = this.disks ? await this.disks.create(volume, registryOwner(await this.sandboxUser()), SESSION_REGISTRY_DISK_BYTES) : undefined;
        await startSessionRegistry(this.docker, registry.image, context, registry.passwordOf(sessionKey), device);
      }
      // The mirror joins every session network under one alias, so each nested dockerd finds it
      // by name while sessions stay isolated from each other.
      await this.docker.getNetwork(name).connect({
        Container: REGISTRY_CONTAINER_NAME,
        EndpointConfig: { Aliases: [REGISTRY_NETWORK_ALIAS] },
      });
      if (this.registryCache) await this.connectCache(name);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  /**
   * Creates a session network in the playground's own range (SESSION_SUBNETS) and returns its
   * subnet. The free block is computed from every network on the engine; a neighbour playground
   * taking the same block at the same moment makes Docker refuse ("overlaps"), and the next is tried.
   */
  private async createNetworkInRange(options: Docker.NetworkCreateOptions): Promise<string> {
    const allocator = this.subnets;
    if (!allocator) {
      await this.docker.createNetwork(options);
      return (await this.docker.getNetwork(options.Name).inspect()).IPAM?.Config?.[0]?.Subnet ?? '';
    }
    for (let attempt = 1; ; attempt++) {
      const subnet = allocator.reserve(await this.usedSubnets());
      if (!subnet) throw new AddressesExhaustedError(formatCidr(allocator.range), allocator.capacity);
      try {
        // The gateway (the host's address on the bridge) named too: the engine would pick the same
        // one, but only a named one is shown by inspect, where tests and tools look for it.
        const config = { Subnet: formatCidr(subnet), Gateway: formatIpv4(subnet.base + 1) };
        await this.docker.createNetwork({ ...options, IPAM: { Driver: 'default', Config: [config] } });
        return formatCidr(subnet);
      } catch (error) {
        if (attempt >= 10 || !/overlap/i.test((error as Error).message)) throw error;
        // Several playgrounds picked the same block at once: step apart before looking again.
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
      } finally {
        allocator.release(subnet);
      }
    }
  }

  /** The IPv4 subnets of every network on the engine, whoever made it. */
  private async usedSubnets(): Promise<Cidr[]> {
    const networks = await this.docker.listNetworks();
    return networks.flatMap((network) => (network.IPAM?.Config ?? []).flatMap((config) => {
      const cidr = config.Subnet ? parseCidr(config.Subnet) : null;
      return cidr ? [cidr] : [];
    }));
  }

  /**
   * Joins the pull-through cache to a session network. A cache that is down costs the session
   * nothing but the cache: nested dockerds skip a mirror that does not answer.
   */
  private async connectCache(network: string): Promise<void> {
    const cache = this.registryCache!;
    await this.docker
      .getNetwork(network)
      .connect({ Container: cache, EndpointConfig: { Aliases: [REGISTRY_CACHE_NETWORK_ALIAS] } })
      .catch((error: Error) => this.logger.warn('registry cache not joined to the session network', { cache, error: error.message }));
  }

  /** REGISTRY_MIRROR of every sandbox: the read-only mirror first, then the cache when there is one. */
  private mirrorUrls(): string {
    return this.registryCache ? `${MIRROR_URL_FOR_SANDBOXES} ${CACHE_URL_FOR_SANDBOXES}` : MIRROR_URL_FOR_SANDBOXES;
  }

  async startInstance(spec: InstanceSpec): Promise<StartedInstance> {
    const networkName = resourceNames.network(spec.sessionKey);
    const context = { owner: this.owner, sessionKey: spec.sessionKey, expiresAt: spec.expiresAt, createdAt: spec.createdAt };
    const labels = sessionLabels(context, 'sandbox', spec.name);
    const volumeLabels = sessionLabels(context, 'docker-data', spec.name);
    const volumeName = resourceNames.dockerVolume(spec.sessionKey, spec.name);
    let container: Docker.Container | undefined;
    try {
      const sandboxUser = await this.sandboxUser();
      // The volume is made first so it carries the session's labels (the reaper finds it by them).
      // With a disk limit it is a file system of its own (instance-disks.ts), mounted by Docker.
      await this.disks?.checkRoom();
      const device = !this.disks
        ? undefined
        : spec.seedDisk
          ? await this.disks.createFrom(volumeName, spec.seedDisk)
          : await this.disks.create(volumeName, sandboxUser);
      await this.docker.createVolume({
        Name: volumeName,
        Labels: volumeLabels,
        ...(device ? { Driver: 'local', DriverOpts: { type: 'ext4', device } } : {}),
      });
      const hostConfig = sandboxHostConfig();
      const options: Docker.ContainerCreateOptions = {
        name: (spec.pooled ? resourceNames.pooledContainer : resourceNames.container)(spec.sessionKey, spec.name),
        Image: this.sandboxImage,
        Hostname: spec.name,
        Env: [`${SANDBOX_REGISTRY_MIRROR_ENV}=${this.mirrorUrls()}`],
        Labels: labels,
        HostConfig: {
          ...hostConfig,
          ...limitsHostConfig(this.limits),
          NetworkMode: networkName,
          // Nested Docker keeps images and containers on a volume: overlay on overlay does not work.
          Binds: [...(hostConfig.Binds ?? []), `${volumeName}:${SANDBOX_DOCKER_DATA_PATH}`],
        },
        NetworkingConfig: { EndpointsConfig: { [networkName]: { Aliases: [spec.name] } } },
      };
      container = await this.docker.createContainer(options);
      await container.start();
      const info = await container.inspect();
      if (sandboxUser) await delegateCgroups(info.State.Pid, sandboxUser);
      const ip = info.NetworkSettings.Networks[networkName]?.IPAddress ?? '';
      return { containerId: info.Id, ip };
    } catch (error) {
      // A start that fails removes what it made, then reports the original error.
      const made = container;
      if (made) await ignoreGone(() => made.remove({ force: true, v: true })).catch(() => {});
      await ignoreGone(() => this.docker.getVolume(volumeName).remove()).catch(() => {});
      await this.disks?.release(volumeName).catch(() => {});
      throw asEngineError(error);
    }
  }

  async claimInstance(sessionKey: string, name: string): Promise<void> {
    try {
      await this.docker
        .getContainer(resourceNames.pooledContainer(sessionKey, name))
        .rename({ name: resourceNames.container(sessionKey, name) });
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async waitUntilReady(containerId: string, timeoutMs: number, since?: Date): Promise<void> {
    // `since` goes as fractional seconds, which the engine accepts: lines of the same second before it are skipped.
    const logs = (await this.docker
      .getContainer(containerId)
      .logs({ follow: true, stdout: true, stderr: true, ...(since ? { since: since.getTime() / 1000 } : {}) })) as unknown as NodeJS.ReadableStream & {
      destroy(): void;
    };
    try {
      await waitForReadyLine(logs, timeoutMs);
    } finally {
      logs.destroy();
    }
  }

  exec(containerId: string, cmd: string[], options: ExecOptions): Promise<ExecOutcome> {
    return runExec(this.docker, containerId, cmd, options);
  }

  openShell(containerId: string, size: { cols: number; rows: number }, name: string): Promise<ShellProcess> {
    return openKeptShell(this.docker, containerId, size, name);
  }

  endShell(containerId: string, name: string): Promise<void> {
    return endKeptShell(this.docker, containerId, name);
  }

  async restartInstance(containerId: string, sessionKey: string): Promise<{ ip: string }> {
    try {
      const container = this.docker.getContainer(containerId);
      await container.restart({ t: 5 });
      const info = await container.inspect();
      // A restart makes the cgroups anew: hand them to the sandbox's root again.
      const sandboxUser = await this.sandboxUser();
      if (sandboxUser) await delegateCgroups(info.State.Pid, sandboxUser);
      return { ip: info.NetworkSettings.Networks[resourceNames.network(sessionKey)]?.IPAddress ?? '' };
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async statsSample(containerId: string): Promise<EngineStatsSample> {
    try {
      // one-shot: answer at once, without the engine's own second sample (the caller keeps one).
      return (await this.docker.getContainer(containerId).stats({ stream: false, 'one-shot': true } as { stream: false })) as EngineStatsSample;
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async copyInstanceDisk(sessionKey: string, name: string, destination: string): Promise<boolean> {
    const disks = this.disks;
    if (!disks) return false;
    const volumeName = resourceNames.dockerVolume(sessionKey, name);
    const container = this.docker.getContainer(resourceNames.container(sessionKey, name));
    try {
      const running = (await container.inspect()).State.Running;
      // A stopped sandbox has its file system unmounted: its image is already whole.
      if (!running) {
        await disks.copyTo(volumeName, destination);
        return true;
      }
      // Paused (the freezer cgroup), nothing in the sandbox writes; sync(1) then puts what it had
      // written through the loop device into the image, so the copy is a file system at rest.
      await container.pause();
      try {
        await flushFileSystems();
        await disks.copyTo(volumeName, destination);
      } finally {
        await container.unpause().catch((error: Error) => this.logger.error('a sandbox paused to save it could not be resumed', { session: sessionLogName(sessionKey), instance: name, error: error.message }));
      }
      return true;
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async removeInstance(sessionKey: string, name: string): Promise<void> {
    const volumeName = resourceNames.dockerVolume(sessionKey, name);
    try {
      for (const containerName of [resourceNames.container(sessionKey, name), resourceNames.pooledContainer(sessionKey, name)]) {
        await ignoreGone(() => this.docker.getContainer(containerName).remove({ force: true, v: true }));
      }
      await removeVolumeWhenFree(this.docker, volumeName);
      await this.disks?.release(volumeName);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  /**
   * Removes everything labelled with the session. A volume "in use" means a container appeared
   * after the listing (one being created as the session closed): the whole pass runs again, so
   * that container goes first; three passes at most.
   */
  async removeSession(sessionKey: string): Promise<void> {
    for (let pass = 1; ; pass++) {
      try {
        await this.removeSessionPass(sessionKey);
        break;
      } catch (error) {
        if (pass >= 3 || dockerStatus(error) !== 409) throw asEngineError(error);
      }
    }
    this.logger.info('session resources removed', { session: sessionLogName(sessionKey) });
  }

  private async removeSessionPass(sessionKey: string): Promise<void> {
    const filters = { label: [`${LABEL.session}=${sessionKey}`] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map((c) => ignoreGone(() => this.docker.getContainer(c.Id).remove({ force: true, v: true }))),
    );
    const networks = await this.docker.listNetworks({ filters });
    for (const network of networks) {
      // Whatever is still attached (the registry mirror, a container being removed) is
      // disconnected first: a network with endpoints cannot be removed.
      const handle = this.docker.getNetwork(network.Id);
      const details = await handle.inspect().catch(() => null);
      for (const containerId of Object.keys(details?.Containers ?? {})) {
        await ignoreGone(() => handle.disconnect({ Container: containerId, Force: true }));
      }
      await ignoreGone(() => handle.remove());
    }
    await this.firewall.release(resourceNames.bridge(sessionKey));
    const { Volumes: volumes } = await this.docker.listVolumes({ filters });
    for (const volume of volumes ?? []) {
      await removeVolumeWhenFree(this.docker, volume.Name);
      await this.disks?.release(volume.Name);
    }
  }

  async sandboxPid(containerId: string): Promise<number | undefined> {
    const info = await this.docker.getContainer(containerId).inspect().catch(() => null);
    return info?.State.Running && info.State.Pid ? info.State.Pid : undefined;
  }

  /** Deletes disk images left by a crash between a volume's removal and its disk's release. */
  async sweepOrphanDisks(): Promise<number> {
    if (!this.disks) return 0;
    const { Volumes: volumes } = await this.docker.listVolumes({ filters: { label: [`${LABEL.managedBy}=${MANAGED_BY}`] } });
    return this.disks.sweepOrphans(new Set((volumes ?? []).map((volume) => volume.Name)));
  }

  async listManaged(): Promise<ManagedResource[]> {
    const filters = { label: [`${LABEL.managedBy}=${MANAGED_BY}`, LABEL.session] };
    try {
      const [containers, networks, volumes] = await Promise.all([
        this.docker.listContainers({ all: true, filters }),
        this.docker.listNetworks({ filters }),
        this.docker.listVolumes({ filters }),
      ]);
      return managedResources(containers, networks, volumes.Volumes ?? []);
    } catch (error) {
      throw asEngineError(error);
    }
  }
}

/** A volume stays "in use" for a moment after its container is removed; retry briefly. */
async function removeVolumeWhenFree(docker: Docker, name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await docker.getVolume(name).remove();
      return;
    } catch (error) {
      if (isNotFound(error)) return;
      if ((error as { statusCode?: number }).statusCode !== 409 || attempt === 19) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** sync(1): every file system's pending writes to its device (for a loop device: into its image). */
async function flushFileSystems(): Promise<void> {
  await promisify(execFile)('sync', [], { timeout: 120_000 });
}
