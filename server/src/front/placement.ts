import type { NodeStatus } from '../protocol/api-types';

/** A node as a front last saw it: its address, and its status (undefined while it cannot be reached). */
export interface KnownNode {
  /** http://address:port of the node's server. */
  url: string;
  status: NodeStatus | undefined;
  /** Its NODE_NAME, as it last said: kept while it does not answer, to name it to its sessions' pages. */
  name?: string;
  /** false while drained or paused in Swarm: it keeps serving its sessions and gets no new ones. */
  accepting: boolean;
  /** Why it does not accept, in words (e.g. "drain in Swarm"). */
  note?: string;
  /** Why the last status could not be read (refused, timed out, not JSON). */
  error?: string;
  /** Since when (ms since the epoch) it has not answered. */
  unreachableSince?: number;
}

/**
 * The nodes a new session may go to, best first: accepting, serving, with room for a session, the most free
 * instances first (the scarcer resource: a template or workshop takes several), then the fewest
 * sessions, then by name so that every front decides alike. Pure.
 */
export function placementOrder(nodes: readonly KnownNode[]): KnownNode[] {
  return nodes
    .filter((node) => node.accepting && node.status?.status === 'ok' && node.status.freeSessions > 0 && node.status.freeInstances > 0)
    .sort((a, b) => {
      const x = a.status!;
      const y = b.status!;
      return y.freeInstances - x.freeInstances || x.sessions - y.sessions || x.node.localeCompare(y.node);
    });
}

/**
 * The node that keeps the cluster's waiting line when no node has room: the first serving, accepting
 * node by name, so that every front sends the line to the same node. Pure.
 */
export function lineKeeper(nodes: readonly KnownNode[]): KnownNode | undefined {
  const serving = nodes.filter((node) => node.status?.status === 'ok');
  const byName = (a: KnownNode, b: KnownNode) => a.status!.node.localeCompare(b.status!.node);
  return [...serving.filter((node) => node.accepting)].sort(byName)[0] ?? [...serving].sort(byName)[0];
}
