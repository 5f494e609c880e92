// Every container, network and volume the playground creates carries these labels. They are the
// source of truth for cleanup: the reaper finds leftovers by label, never by memory alone.

export const LABEL = {
  managedBy: 'dev.playground.managed-by',
  role: 'dev.playground.role',
  session: 'dev.playground.session',
  instance: 'dev.playground.instance',
  expiresAt: 'dev.playground.expires-at',
  createdAt: 'dev.playground.created-at',
  /** Which playground made it (PLAYGROUND_NAME): neighbours on one engine leave each other's alone. */
  owner: 'dev.playground.owner',
} as const;

export const MANAGED_BY = 'docker-playground';

export type ResourceRole = 'sandbox' | 'session-network' | 'docker-data' | 'session-registry' | 'registry-data';

/** Resources made before PLAYGROUND_NAME existed carry no owner: they belong to the default playground. */
export const DEFAULT_OWNER = 'default';

/** What every resource of one session is labelled with, whatever its role. */
export interface SessionLabelContext {
  owner: string;
  sessionKey: string;
  expiresAt: Date;
  createdAt: Date;
}

export function sessionLabels(context: SessionLabelContext, role: ResourceRole, instance?: string): Record<string, string> {
  const { owner, sessionKey, expiresAt, createdAt } = context;
  const labels: Record<string, string> = {
    [LABEL.managedBy]: MANAGED_BY,
    [LABEL.owner]: owner,
    [LABEL.role]: role,
    [LABEL.session]: sessionKey,
    [LABEL.expiresAt]: expiresAt.toISOString(),
    [LABEL.createdAt]: createdAt.toISOString(),
  };
  if (instance) labels[LABEL.instance] = instance;
  return labels;
}

/** Every session network's Linux bridge is named with this prefix (firewall rules match `pg+`). */
export const SESSION_BRIDGE_PREFIX = 'pg';

/** Names are derived from the session key (a digest, not the id), so they reveal nothing. */
export const resourceNames = {
  network: (sessionKey: string) => `playground-${sessionKey}`,
  container: (sessionKey: string, instance: string) => `playground-${sessionKey}-${instance}`,
  /** A warm-pool sandbox not yet handed to anyone; renamed to `container` when claimed. */
  pooledContainer: (sessionKey: string, instance: string) => `playground-pool-${sessionKey}-${instance}`,
  dockerVolume: (sessionKey: string, instance: string) => `playground-${sessionKey}-${instance}-docker`,
  /** The session's own registry (docker login registry:5000) and its data. */
  registry: (sessionKey: string) => `playground-${sessionKey}-registry`,
  registryVolume: (sessionKey: string) => `playground-${sessionKey}-registry-data`,
  /** The session network's Linux bridge (at most 15 characters): what host firewall rules match. */
  bridge: (sessionKey: string) => `${SESSION_BRIDGE_PREFIX}${sessionKey.slice(0, 13)}`,
};

/** True for the name of a warm-pool sandbox that was never claimed (Docker lists names with a '/'). */
export function isPooledContainerName(name: string): boolean {
  return name.replace(/^\//, '').startsWith('playground-pool-');
}

// What the set-up step labels its images and containers with (aliases of the names above).
export const LABEL_PREFIX = 'dev.playground.';
export const MANAGED_BY_LABEL = LABEL.managedBy;
export const MANAGED_BY_VALUE = MANAGED_BY;
/** What a managed object is: one of the *_ROLE values below. */
export const ROLE_LABEL = LABEL.role;
/** The full definition hash an image was built from (its tag holds the first 12 hex digits). */
export const DEFINITION_HASH_LABEL = 'dev.playground.definition-hash';

export const BASE_IMAGE_ROLE = 'base-image';
export const SANDBOX_IMAGE_ROLE = 'sandbox-image';
export const REGISTRY_IMAGE_ROLE = 'registry-image';
export const MIRROR_IMAGE_ROLE = 'mirror-image';
export const REGISTRY_MIRROR_ROLE = 'registry-mirror';
export const REGISTRY_WRITER_ROLE = 'registry-writer';
export const REGISTRY_CACHE_ROLE = 'registry-cache';

/** Labels for everything the set-up step makes. */
export function managedLabels(role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ROLE_LABEL]: role, ...extra };
}
