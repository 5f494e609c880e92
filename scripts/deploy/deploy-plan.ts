/**
 * What `npm run deploy` tells the two stack files, from its settings and the swarm's managers. Pure.
 */

export interface DeploySettings {
  /** Where browsers reach a front: each manager's port (FRONT_PORT, default 80). */
  frontPort: number;
  /** ingress (Swarm's routing mesh, the default) or host (only the managers' own port). */
  publishMode: 'ingress' | 'host';
  /** Where every node's server listens (NODE_PORT, default 8080). */
  nodePort: number;
  /** The cluster's registry on the deploying manager (REGISTRY_PORT, default 5005). */
  registryPort: number;
  /** Names the page is served under besides the managers' addresses (ALLOWED_HOSTS: a domain). */
  allowedHosts: string[];
  /** Host-form previews live under this (PUBLIC_HOST). */
  publicHost: string;
  /** A load balancer in front of the fronts (FRONT_TRUSTED_PROXIES), whose X-Forwarded-For counts. */
  frontTrustedProxies: string[];
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}=${text} is invalid: expected a port from 1 to 65535`);
  return value;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function deploySettings(env: NodeJS.ProcessEnv): DeploySettings {
  const publishMode = env.FRONT_PUBLISH_MODE?.trim() || 'ingress';
  if (publishMode !== 'ingress' && publishMode !== 'host') throw new Error(`FRONT_PUBLISH_MODE=${publishMode} is invalid: expected ingress or host`);
  return {
    frontPort: integer(env, 'FRONT_PORT', 80),
    publishMode,
    nodePort: integer(env, 'NODE_PORT', 8080),
    registryPort: integer(env, 'REGISTRY_PORT', 5005),
    allowedHosts: list(env.ALLOWED_HOSTS),
    publicHost: env.PUBLIC_HOST?.trim() || 'localhost',
    frontTrustedProxies: list(env.FRONT_TRUSTED_PROXIES),
  };
}

/** A swarm node as `docker node ls` gives it (the fields read here). */
export interface SwarmNodeJson {
  Spec?: { Role?: string };
  Status?: { Addr?: string };
  ManagerStatus?: { Addr?: string };
}

/** The managers' addresses: where the fronts run, and where the nodes that tell the members are. */
export function managerAddresses(nodes: readonly SwarmNodeJson[]): string[] {
  const addresses = nodes
    .filter((node) => node.Spec?.Role === 'manager')
    .map((node) => {
      const address = node.Status?.Addr ?? '';
      return address !== '' && address !== '0.0.0.0' ? address : (node.ManagerStatus?.Addr ?? '').replace(/:\d+$/, '');
    })
    .filter((address) => address !== '');
  return [...new Set(addresses)].sort();
}

function hostInUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The variables deploy/playground-stack.yml reads. */
export function frontStackEnv(settings: DeploySettings, managers: readonly string[], frontImage: string): Record<string, string> {
  if (managers.length === 0) throw new Error('the swarm reports no manager address');
  return {
    FRONT_IMAGE: frontImage,
    SWARM_MEMBERS_FROM: managers.map((address) => `http://${hostInUrl(address)}:${settings.nodePort}`).join(','),
    NODE_PORT: String(settings.nodePort),
    ALLOWED_HOSTS: [...new Set([...managers, ...settings.allowedHosts])].join(','),
    PUBLIC_HOST: settings.publicHost,
    FRONT_TRUSTED_PROXIES: settings.frontTrustedProxies.join(','),
    FRONT_PORT: String(settings.frontPort),
    FRONT_PUBLISH_MODE: settings.publishMode,
  };
}

/** The variables deploy/registry-stack.yml reads. */
export function registryStackEnv(settings: DeploySettings, registryImage: string, nodeId: string): Record<string, string> {
  return { REGISTRY_IMAGE: registryImage, REGISTRY_PORT: String(settings.registryPort), REGISTRY_NODE_ID: nodeId };
}

/** The front's image as the Swarm pulls it: from the registry on the deploying manager. */
export function pushedImageRef(registryAddress: string, localRef: string): string {
  return `${registryAddress}/${localRef}`;
}
