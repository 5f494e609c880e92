// 8. The cluster: capacity adds up. The test cluster of `npm run cluster` (three engines in network
// namespaces, a node server on each, a front with NODES=swarm), each node capped at the same number
// of instances. One node alone (asked directly) is filled until it refuses; then the whole cluster
// through the front. Also what the front adds: a new session's time and an exec round trip through
// the front beside the same asked of a node directly. Everything runs on this one machine, so the
// figures are of placement and routing, not of three machines' worth of memory.
import { clusterNodes } from '../scripts/cluster/cluster-plan';
import { clusterCommand } from '../scripts/cluster/cluster-command';
import { FRONT_URL, nodeServerUrl } from '../scripts/cluster/playground-servers';
import { ApiClient } from './lib/api-client';
import type { Benchmark } from './lib/context';
import { atLeast, type Figure, type Measured } from './lib/report';
import { summarize } from './lib/stats';
import { now } from './lib/time';

const ms = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max' });
const sessions = (value: number, detail: string): Measured => ({ kind: 'single', value, unit: 'sessions', detail });

/** Creates sessions one at a time until the server refuses (503) or `most` are held. */
async function fill(api: ApiClient, most: number): Promise<{ ids: string[]; createMs: number[] }> {
  const ids: string[] = [];
  const createMs: number[] = [];
  for (let i = 0; i < most; i++) {
    const started = now();
    try {
      ids.push((await api.createSession()).id);
    } catch (error) {
      if (/answered 503/.test((error as Error).message)) break;
      throw error;
    }
    createMs.push(now() - started);
  }
  return { ids, createMs };
}

async function execRoundTrips(api: ApiClient, ids: string[], rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = now();
    await api.exec(ids[i % ids.length]!, 'node1', ['true'], 30_000);
    times.push(now() - started);
  }
  return times;
}

export const clusterCapacity: Benchmark = {
  name: 'cluster',
  title: '8. Cluster: capacity adds up across nodes',
  async run(context) {
    const cap = context.quick ? 2 : 10;
    const rounds = context.quick ? 5 : 30;
    const nodes = clusterNodes();
    // Made for this run with the cap on every node (a cluster already up is taken down first).
    context.log('cluster: taking down any test cluster, then up with a cap per node');
    await clusterCommand('down', { timeoutMs: 300_000 });
    const front = new ApiClient(FRONT_URL);
    const alone = new ApiClient(nodeServerUrl(nodes[0]!));
    try {
      await clusterCommand('up', { env: { CLUSTER_NODE_MAX_INSTANCES: String(cap) } });
      context.log(`cluster: filling ${nodes[0]!.netns} alone (at most ${cap} instances)`);
      const one = await fill(alone, cap + 2);
      const oneExec = await execRoundTrips(alone, one.ids, rounds);
      await alone.deleteAll();
      context.log(`cluster: filling all ${nodes.length} nodes through the front`);
      const all = await fill(front, nodes.length * cap + 2);
      const allExec = await execRoundTrips(front, all.ids, rounds);
      await front.deleteAll();

      const figures: Figure[] = [
        {
          label: `sessions held by ${nodes.length} nodes through the front (MAX_TOTAL_INSTANCES=${cap} on each)`,
          measured: sessions(all.ids.length, `until the front answered 503`),
          baseline: { label: 'one node alone', measured: sessions(one.ids.length, 'until it answered 503') },
          targets: [atLeast(`the cluster holds ${nodes.length} times one node`, all.ids.length, nodes.length * one.ids.length)],
        },
        {
          label: 'a new session (POST /api/sessions, no warm pool) through the front',
          measured: ms(all.createMs),
          baseline: { label: 'asked of a node directly', measured: ms(one.createMs) },
        },
        {
          label: 'exec round trip (POST .../exec true) through the front',
          measured: ms(allExec),
          baseline: { label: 'asked of a node directly', measured: ms(oneExec) },
        },
      ];
      return {
        figures,
        notes: [
          `The test cluster on this one machine: ${nodes.length} engines in network namespaces joined in a Swarm, a node server on each (no warm pool), and a front that learns them from the Swarm. Sessions are created one at a time; "held" counts those answered 201 before the first 503.`,
        ],
      };
    } finally {
      await front.deleteAll().catch(() => []);
      await alone.deleteAll().catch(() => []);
      await clusterCommand('down', { timeoutMs: 300_000 });
    }
  },
};
