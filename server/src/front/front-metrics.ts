import { Gauge, Registry } from 'prom-client';
import type { KnownNode } from './placement';

/**
 * A front's GET /metrics: each node as the front last saw it, labelled by its name, so one scrape
 * of any front shows the whole cluster (each node's own /metrics has the detail).
 */
export class FrontMetrics {
  readonly registry = new Registry();

  constructor(nodes: () => readonly KnownNode[]) {
    const registers = [this.registry];
    const perNode = (name: string, help: string, value: (node: KnownNode) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['node'],
        registers,
        collect() {
          this.reset();
          for (const node of nodes()) this.set({ node: node.name ?? node.url }, value(node));
        },
      });
    perNode('playground_node_up', 'Whether the node answers its status (1) or not (0).', (node) => (node.status ? 1 : 0));
    perNode('playground_node_serving', 'Whether the node can start sessions: its engine and images are ready (1).', (node) => (node.status?.status === 'ok' ? 1 : 0));
    perNode('playground_node_accepting', 'Whether the node takes new sessions (0 while drained or paused in Swarm).', (node) => (node.accepting ? 1 : 0));
    perNode('playground_node_sessions', 'Live sessions on the node.', (node) => node.status?.sessions ?? 0);
    perNode('playground_node_instances', 'Live instances (Docker hosts) on the node.', (node) => node.status?.instances ?? 0);
    perNode('playground_node_free_sessions', 'Sessions the node could still start now.', (node) => node.status?.freeSessions ?? 0);
    perNode('playground_node_free_instances', 'Instances the node could still start now.', (node) => node.status?.freeInstances ?? 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
