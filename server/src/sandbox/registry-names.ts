// Names of the registries the playground runs beside its sandboxes: the mirror the set-up step makes
// (one per host) and the pull-through cache the server starts. Shared by scripts/setup and the server.

/** The mirror registry's container (one per host, made by the set-up step, restart unless-stopped). */
export const REGISTRY_CONTAINER_NAME = 'playground-registry';
/** The server connects the registry container to each session network with this alias. */
export const REGISTRY_NETWORK_ALIAS = 'registry-mirror';
export const REGISTRY_PORT = 5000;
/** The registry's port is published on this host address only (for the set-up step's checks). */
export const REGISTRY_HOST_ADDRESS = '127.0.0.1';
/**
 * The mirror serves READ-ONLY (it is on every session network: a writable one would let a visitor
 * replace images every other session pulls). The set-up step pushes through a short-lived writable
 * container of the same image, on the same volume, published on 127.0.0.1:5001 only.
 */
export const REGISTRY_WRITER_CONTAINER_NAME = 'playground-registry-writer';
export const REGISTRY_WRITER_HOST_PORT = 5001;
/** The writer's configuration file inside the registry image (the mirror uses the image's CMD). */
export const REGISTRY_WRITABLE_CONFIG = '/etc/docker/registry/config-writable.yml';
/** Named volume holding the registry's blobs. */
export const REGISTRY_VOLUME_NAME = 'playground-registry-data';
/** Where the registry image keeps its storage (Debian's docker-registry package default). */
export const REGISTRY_STORAGE_PATH = '/var/lib/docker-registry';
/** REGISTRY_MIRROR for sandboxes on a session network the registry is connected to. */
export const MIRROR_URL_FOR_SANDBOXES = 'http://registry-mirror:5000';

// --- the pull-through cache (started by the server, see registry-cache.ts) -----------------------

/** The server connects its pull-through cache to each session network with this alias. */
export const REGISTRY_CACHE_NETWORK_ALIAS = 'registry-cache';
/** The second mirror sandboxes try, after MIRROR_URL_FOR_SANDBOXES, when the cache is on. */
export const CACHE_URL_FOR_SANDBOXES = 'http://registry-cache:5000';
/** The cache's configuration file inside the registry image (proxy mode). */
/** The cache's entry point: the registry behind an nginx front that keeps sandboxes to pulling (sandbox/registry/registry-cache). */
export const REGISTRY_CACHE_ENTRYPOINT = '/usr/local/bin/registry-cache';
/** The registry's user in the registry image (fixed there), who must own a registry's data. */
export const REGISTRY_UID = 100;
export const REGISTRY_GID = 101;

/**
 * Who owns a registry's data on the host: the registry's user as the engine maps it (containers of
 * an engine with userns-remap see host ids shifted by the remapped root's).
 */
export function registryOwner(remappedRoot?: { uid: number; gid: number }): { uid: number; gid: number } {
  return { uid: (remappedRoot?.uid ?? 0) + REGISTRY_UID, gid: (remappedRoot?.gid ?? 0) + REGISTRY_GID };
}
