import os from 'node:os';
import { hostAllowList } from '../http/host-allow-list';
import { createLogger, type Logger } from '../log';
import type { FrontConfig } from './front-config';
import { createFrontServer } from './front-server';
import { NodeDirectory } from './node-directory';
import { SessionLocator } from './session-locator';

export interface Front {
  url: string;
  port: number;
  nodes: NodeDirectory;
  close(): Promise<void>;
}

/** Builds and starts a front (ROLE=front): the node directory, the locator, the server. */
export async function startFront(config: FrontConfig, overrides: { logger?: Logger } = {}): Promise<Front> {
  const logger = overrides.logger ?? createLogger(config.logFormat);
  const nodes = new NodeDirectory(config.nodes, logger, config.nodePollIntervalMs);
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
  const front = createFrontServer({ nodes, locator: new SessionLocator(nodes), hosts, publicHost: config.publicHost, staticDir: config.staticDir, logger });
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(config.port, config.host, () => resolve());
  });
  const address = front.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('front serving', { url, nodes: config.nodes.join(', ') });
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
