import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { Logger } from '../log';
import { containerLogTail } from './docker-log';
import { ensureHostContainer, ensureVolume } from './host-container';
import { NO_FORWARDING_SYSCTLS } from './no-forwarding';
import { DEFINITION_HASH_LABEL, managedLabels, REGISTRY_CACHE_ROLE } from '../sandbox/labels';
import { REGISTRY_CACHE_ENTRYPOINT, REGISTRY_CACHE_NETWORK_ALIAS, REGISTRY_STORAGE_PATH, registryOwner } from '../sandbox/registry-names';
import { isNotFound } from './docker-errors';
import type { InstanceDisks } from '../sandbox/instance-disks';
import { detectRemappedRoot } from './user-namespace';

// The pull-through cache: a registry in proxy mode that nested dockerds try after the read-only
// mirror. An image the mirror lacks is fetched from the upstream (Docker Hub) once, kept on the
// cache's volume, and served from there to every later pull, from any session. One cache per
// upstream and host, started (or brought up to date) by the server; it outlives sessions.
//
// Distribution 2.8 asks the upstream's /v2/ once at start and exits when that fails, so a host
// that cannot reach the upstream has no cache: the server then says so once, and sandboxes get the
// mirror alone. No restart policy: restarted by Docker while offline, it would fail (and look the
// upstream up) again and again; the next server start tries once more.

/** How long a started cache may take to answer on its /v2/. */
const READY_TIMEOUT_MS = 15_000;

/** What REGISTRY_CACHE and its credentials say: where the cache fetches from, and as whom. */
export interface RegistryCacheSettings {
  /** The upstream registry's base URL, e.g. https://registry-1.docker.io. */
  upstream: string;
  username?: string;
  password?: string;
}

export const DEFAULT_CACHE_UPSTREAM = 'https://registry-1.docker.io';

/** The upstream a cache container was made for (the definition-hash label holds the rest). */
export const CACHE_UPSTREAM_LABEL = 'dev.playground.cache-upstream';

/**
 * REGISTRY_CACHE: `off`, or the upstream's base URL (http or https, a host and optional port, no
 * path, query or credentials: those go in REGISTRY_CACHE_USERNAME / REGISTRY_CACHE_PASSWORD).
 * Returns the URL without a trailing slash, or undefined for off.
 */
export function parseCacheUpstream(text: string): string | undefined {
  if (text === 'off') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`expected off or a registry URL such as ${DEFAULT_CACHE_UPSTREAM}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('the upstream must be an http:// or https:// URL');
  if (url.username || url.password) throw new Error('put credentials in REGISTRY_CACHE_USERNAME and REGISTRY_CACHE_PASSWORD, not in the URL');
  if (url.pathname !== '/' || url.search || url.hash) throw new Error('the upstream is a registry base URL: no path, query or fragment');
  return `${url.protocol}//${url.host}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Container and volume names of the cache of one upstream (servers with other upstreams never share one). */
export function registryCacheNames(upstream: string): { container: string; volume: string } {
  const id = digest(upstream).slice(0, 12);
  return { container: `playground-registry-cache-${id}`, volume: `playground-registry-cache-${id}-data` };
}

/** Bumped whenever cacheContainerOptions changes, so caches made by an older server are recreated. */
const CACHE_CONTAINER_VERSION = 3;

/** Everything a running cache must match; a change (new image, other credentials) recreates it. */
export function cacheDefinitionHash(registryImage: string, settings: RegistryCacheSettings): string {
  return digest(JSON.stringify([CACHE_CONTAINER_VERSION, registryImage, settings.upstream, settings.username ?? '', settings.password ?? '']));
}

/**
 * Makes sure the cache for settings.upstream runs the current registry image with the current
 * credentials: creates it (and its volume) when missing, recreates it when its definition changed
 * (keeping the volume, and reconnecting it to the session networks it was on), starts it when
 * stopped. Returns the container's name.
 */
export async function ensureRegistryCache(
  docker: Docker,
  registryImage: string,
  settings: RegistryCacheSettings,
  logger: Logger,
  storage?: CacheStorage,
): Promise<string> {
  const names = registryCacheNames(settings.upstream);
  const definition = cacheDefinitionHash(registryImage, settings);
  if (storage?.disks.enabled && storage.sizeBytes > 0) await ensureBoundedVolume(docker, names, storage, logger);
  else await ensureVolume(docker, names.volume, managedLabels(REGISTRY_CACHE_ROLE));
  await ensureHostContainer(docker, {
    options: cacheContainerOptions(names, registryImage, settings, definition),
    outdated: (info) => (info.Config.Labels?.[DEFINITION_HASH_LABEL] === definition ? undefined : 'its definition changed'),
    networkAlias: REGISTRY_CACHE_NETWORK_ALIAS,
    note: (text) => logger.info(`registry cache: ${text}`),
  });
  try {
    await waitUntilServing(docker, names.container);
  } catch (error) {
    // Stopped, so it is neither joined to session networks nor left half-started.
    await docker.getContainer(names.container).stop({ t: 1 }).catch(() => undefined);
    throw error;
  }
  logger.info('registry cache ready', { container: names.container, upstream: settings.upstream });
  return names.container;
}

/** Where the cache keeps what it fetched: a size-limited file system (REGISTRY_CACHE_DISK) among the instances' disks. */
export interface CacheStorage {
  disks: InstanceDisks;
  sizeBytes: number;
}

/**
 * The cache's volume on a file system of its own, so what visitors pull through it cannot fill the
 * host's disk: full, the cache fails a pull and nested dockerds fetch from the upstream directly.
 * The disk image outlives servers; a volume that is not on it (an older server's plain volume, or a
 * loop device gone with a reboot) is made anew, the cache's container with it.
 */
async function ensureBoundedVolume(docker: Docker, names: { container: string; volume: string }, storage: CacheStorage, logger: Logger): Promise<void> {
  const device = await storage.disks.attach(names.volume, storage.sizeBytes, registryOwner(await detectRemappedRoot(docker)));
  const existing = await docker
    .getVolume(names.volume)
    .inspect()
    .catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
  if (existing?.Options?.device === device) return;
  if (existing) {
    logger.info('registry cache: moving its volume onto a size-limited disk', { volume: names.volume });
    await docker.getContainer(names.container).remove({ force: true }).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
    await docker.getVolume(names.volume).remove();
  }
  await docker.createVolume({
    Name: names.volume,
    Labels: managedLabels(REGISTRY_CACHE_ROLE),
    Driver: 'local',
    DriverOpts: { type: 'ext4', device },
  });
}

/**
 * Waits until the cache answers GET /v2/ on its default-bridge address (from this host), or throws
 * with the reason: the line its registry printed when it gave up (say, the upstream's name did not
 * resolve), or a time-out.
 */
async function waitUntilServing(docker: Docker, name: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = await docker.getContainer(name).inspect();
    if (!info.State.Running) {
      const log = await containerLogTail(docker, info.Id, 40);
      const reason = log.find((line) => line.startsWith('panic:'))?.slice('panic:'.length).trim() ?? log.at(-1) ?? `exit code ${info.State.ExitCode}`;
      throw new Error(`the cache stopped at start: ${reason}`);
    }
    const ip = info.NetworkSettings.Networks?.bridge?.IPAddress;
    if (ip) {
      const answered = await fetch(`http://${ip}:5000/v2/`, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the cache did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

function cacheContainerOptions(
  names: { container: string; volume: string },
  registryImage: string,
  settings: RegistryCacheSettings,
  definition: string,
): Docker.ContainerCreateOptions & { name: string } {
  const env = [`REGISTRY_PROXY_REMOTEURL=${settings.upstream}`];
  if (settings.username) env.push(`REGISTRY_PROXY_USERNAME=${settings.username}`);
  if (settings.password) env.push(`REGISTRY_PROXY_PASSWORD=${settings.password}`);
  // With an account, its private repositories must not be pullable by every visitor (cache-front.conf).
  if (settings.username) env.push('CACHE_OFFICIAL_ONLY=1');
  return {
    name: names.container,
    Image: registryImage,
    Entrypoint: [REGISTRY_CACHE_ENTRYPOINT],
    Cmd: [],
    Env: env,
    Labels: managedLabels(REGISTRY_CACHE_ROLE, { [DEFINITION_HASH_LABEL]: definition, [CACHE_UPSTREAM_LABEL]: settings.upstream }),
    HostConfig: {
      // The default bridge: the cache itself must reach the upstream. It publishes no port; sessions
      // reach it on their own networks (the server connects it there as registry-cache).
      Mounts: [{ Type: 'volume', Source: names.volume, Target: REGISTRY_STORAGE_PATH }],
      RestartPolicy: { Name: 'no' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m' },
      // It joins every session network: it must not route a sandbox's packets anywhere else.
      Sysctls: { ...NO_FORWARDING_SYSCTLS },
      Memory: 512 * 1024 ** 2,
      PidsLimit: 256,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
    },
  };
}
