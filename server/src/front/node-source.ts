import type { SwarmMember } from '../docker/swarm-members';

/** A node a front may use: its server's address, and whether it takes new sessions. */
export interface NodeEntry {
  url: string;
  /** false while the machine is drained or paused in Swarm: it keeps its sessions, gets no new ones. */
  accepting: boolean;
  /** Why it does not accept (drained in Swarm), for the health page. */
  note?: string;
}

/** Where a front learns its nodes: a fixed list (NODES=http://...), or the swarm's members (NODES=swarm). */
export type NodeSource = () => Promise<NodeEntry[]>;

export function fixedNodes(urls: readonly string[]): NodeSource {
  const entries = urls.map((url) => ({ url: url.replace(/\/$/, ''), accepting: true }));
  return async () => entries;
}

/** The label that moves a node's server off the default port: `docker node update --label-add dev.playground.port=8081`. */
export const NODE_PORT_LABEL = 'dev.playground.port';

/**
 * The swarm's members as nodes. Pure. A member Swarm reports down is left out (its sessions are
 * then said lost, as for any node that does not answer); a drained or paused one stays, not accepting.
 */
export function nodesFromSwarm(members: readonly SwarmMember[], defaultPort: number): NodeEntry[] {
  return members
    .filter((member) => member.address !== '' && member.state !== 'down')
    .sort((a, b) => a.hostname.localeCompare(b.hostname))
    .map((member) => {
      const port = Number(member.labels[NODE_PORT_LABEL] ?? defaultPort);
      const host = member.address.includes(':') ? `[${member.address}]` : member.address;
      const accepting = member.availability === 'active';
      return { url: `http://${host}:${Number.isInteger(port) ? port : defaultPort}`, accepting, ...(accepting ? {} : { note: `${member.availability} in Swarm` }) };
    });
}
