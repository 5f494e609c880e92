import os from 'node:os';
import { hostAllowList } from '../http/host-allow-list';
import { createLogger, type Logger } from '../log';
import type { FrontConfig } from './front-config';
import { createFrontServer } from './front-server';
import { NodeDirectory } from './node-directory';
import { SessionLocator } from './session-locator';
import { FrontMetrics } from './front-metrics';
import { listSwarmMembers } from '../docker/swarm-members';
import { fixedNodes, nodesFromSwarm, swarmMembersFromNodes, type NodeSource } from './node-source';

/**
 * The swarm's members, read at each round from its manager's engine or through nodes on managers:
 * membership and drain are Swarm's.
 */
function swarmNodes(config: FrontConfig): NodeSource {
  if (config.swarmMembersFrom.length > 0) return swarmMembersFromNodes(config.swarmMembersFrom, config.nodePort);
  return async () => nodesFromSwarm(await listSwarmMembers(config.dockerHost), config.nodePort);
}

export interface Front {
  url: string;
  port: number;
  nodes: NodeDirectory;
  close(): Promise<void>;
}

/** Builds and starts a front (ROLE=front): the node directory, the locator, the server. */
export async function startFront(config: FrontConfig, overrides: { logger?: Logger; source?: NodeSource } = {}): Promise<Front> {
  const logger = overrides.logger ?? createLogger(config.logFormat);
  const source = overrides.source ?? (config.nodes === 'swarm' ? swarmNodes(config) : fixedNodes(config.nodes));
  const nodes = new NodeDirectory(source, logger, config.nodePollIntervalMs);
  // The first placement must not see every node as unreachable just because nobody asked yet.
  await nodes.refresh();
  nodes.start();
  const interfaceAddresses = Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  const hosts = hostAllowList({
    listenHost: config.host,
    interfaceAddresses,
    allowedOrigins: config.allowedOrigins,
    allowedHosts: config.allowedHosts,
    publicHost: config.publicHost,
  });
  const metrics = config.metrics ? new FrontMetrics(() => nodes.all()) : undefined;
  const front = createFrontServer({ nodes, locator: new SessionLocator(nodes), hosts, publicHost: config.publicHost, staticDir: config.staticDir, logger, metrics });
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(config.port, config.host, () => resolve());
  });
  const address = front.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('front serving', { url, nodes: config.nodes === 'swarm' ? `the swarm's members (${config.swarmMembersFrom.length > 0 ? `told by ${config.swarmMembersFrom.join(', ')}` : `DOCKER_HOST ${config.dockerHost ?? 'local'}`})` : config.nodes.join(', ') });
  return {
    url,
    port,
    nodes,
    async close() {
      nodes.stop();
      await front.close();
    },
  };
}
