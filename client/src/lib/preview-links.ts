// Links to a port published in an instance (README: "Port previews").

/** Path form, on this origin: /p/{previewKey}/{instance}/{port}/ */
export function pathPreviewUrl(previewKey: string, instance: string, port: number): string {
  return `/p/${previewKey}/${instance}/${port}/`;
}

/**
 * Host form: {instance}-{port}-{previewKey}.{host}. On this machine (localhost or an IP address) the
 * host is "localhost", whose subdomains browsers resolve to this machine; elsewhere it is the page's
 * own host name, which the server's PUBLIC_HOST is expected to match.
 */
export function hostPreviewUrl(page: { protocol: string; hostname: string; port: string }, previewKey: string, instance: string, port: number): string {
  const local = page.hostname === 'localhost' || /^[\d.]+$/.test(page.hostname) || page.hostname.includes(':');
  const base = local ? 'localhost' : page.hostname;
  return `${page.protocol}//${instance}-${port}-${previewKey}.${base}${page.port ? `:${page.port}` : ''}/`;
}

/** A port typed into "Open port": a whole number from 1 to 65535, or null. */
export function parsePortInput(text: string): number | null {
  if (!/^\s*\d{1,5}\s*$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * Ports of Docker Swarm's own control plane, which a node listens on once it is in a swarm: 2377
 * (cluster management), 7946 (node gossip) and 4789 (overlay network traffic). None of them
 * speaks HTTP, so a preview of one only times out; they are not offered as links (Open port still
 * opens any port).
 */
export const SWARM_CONTROL_PORTS: readonly number[] = [2377, 4789, 7946];

/** The ports worth a preview link: all an instance listens on but Swarm's control ports. */
export function previewablePorts(ports: readonly number[]): number[] {
  return ports.filter((port) => !SWARM_CONTROL_PORTS.includes(port));
}
