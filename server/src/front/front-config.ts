import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrustedProxies } from '../admission/client-key';
import { parseAllowedHosts } from '../http/host-allow-list';
import type { LogFormat } from '../log';

/** What a front (ROLE=front) is told: where to listen, and the nodes behind it. */
export interface FrontConfig {
  port: number;
  host: string;
  /**
   * The nodes' servers: NODES=http://address:port,... , or NODES=swarm: the members of the swarm
   * whose manager DOCKER_HOST is, each at NODE_PORT (default 8080) or its dev.playground.port label.
   */
  nodes: string[] | 'swarm';
  nodePort: number;
  dockerHost: string | undefined;
  /**
   * With NODES=swarm, where the members are read: nodes on managers (SWARM_MEMBERS_FROM=http://...,
   * for a front with no Docker socket, as when deployed as a Swarm service); empty: DOCKER_HOST.
   */
  swarmMembersFrom: string[];
  /** How often each node is asked for its status (NODE_POLL_INTERVAL in ms, default 2000). */
  nodePollIntervalMs: number;
  staticDir: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  publicHost: string;
  /** Proxies in front of this front whose X-Forwarded-For is passed on (TRUSTED_PROXIES). */
  trustedProxies: string[];
  logFormat: LogFormat;
  /** GET /metrics (METRICS: on or off, default on). */
  metrics: boolean;
  /** This front's name in logs (NODE_NAME, default the host name). */
  name: string;
}

const repoRootDefault = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Parses NODES: each an http URL with a host and port, nothing after. */
export function parseNodes(text: string, variable = 'NODES'): string[] {
  const nodes = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (nodes.length === 0) throw new Error(`${variable} is required with ROLE=front: swarm, or the nodes\' addresses, e.g. http://10.0.0.2:8080,http://10.0.0.3:8080`);
  return nodes.map((entry) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`${variable} entry "${entry}" is not a URL: expected http://address:port`);
    }
    if (url.protocol !== 'http:' || !url.hostname || (url.pathname !== '/' && url.pathname !== '') || url.search) {
      throw new Error(`${variable} entry "${entry}" must be http://address:port with nothing after`);
    }
    return url.origin;
  });
}

export function loadFrontConfig(env: NodeJS.ProcessEnv = process.env): FrontConfig {
  const port = Number(env.PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is invalid: expected a whole number from 0 to 65535`);
  const poll = Number(env.NODE_POLL_INTERVAL || 2000);
  if (!Number.isInteger(poll) || poll < 100 || poll > 60_000) throw new Error(`NODE_POLL_INTERVAL=${env.NODE_POLL_INTERVAL} is invalid: expected milliseconds from 100 to 60000`);
  const nodePort = Number(env.NODE_PORT || 8080);
  if (!Number.isInteger(nodePort) || nodePort < 1 || nodePort > 65535) throw new Error(`NODE_PORT=${env.NODE_PORT} is invalid: expected a port from 1 to 65535`);
  const repoRoot = env.PLAYGROUND_ROOT || repoRootDefault;
  const logFormat = env.LOG_FORMAT || 'text';
  if (env.METRICS && env.METRICS !== 'on' && env.METRICS !== 'off') throw new Error(`METRICS=${env.METRICS} is invalid: expected on or off`);
  if (logFormat !== 'text' && logFormat !== 'json') throw new Error(`LOG_FORMAT=${logFormat} is invalid: expected text or json`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    nodes: env.NODES?.trim() === 'swarm' ? 'swarm' : parseNodes(env.NODES ?? ''),
    nodePort,
    dockerHost: env.DOCKER_HOST || undefined,
    swarmMembersFrom: env.SWARM_MEMBERS_FROM?.trim() ? parseNodes(env.SWARM_MEMBERS_FROM, 'SWARM_MEMBERS_FROM') : [],
    nodePollIntervalMs: poll,
    staticDir: env.STATIC_DIR || path.join(repoRoot, 'dist', 'client'),
    allowedHosts: parseAllowedHosts(env.ALLOWED_HOSTS ?? ''),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    publicHost: (env.PUBLIC_HOST || 'localhost').toLowerCase(),
    trustedProxies: parseTrustedProxies(env.TRUSTED_PROXIES ?? ''),
    logFormat,
    metrics: (env.METRICS || 'on') !== 'off',
    name: env.NODE_NAME || os.hostname(),
  };
}
