import type { SwarmMember } from '../docker/swarm-members';
import { apiPaths } from '../protocol/api-paths';
import type { SwarmMembersBody } from '../protocol/api-types';

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

const MEMBERS_TIMEOUT_MS = 3_000;

/**
 * The swarm's members as read by nodes on managers (SWARM_MEMBERS_FROM): a front deployed as a
 * Swarm service has no Docker socket (a container given the socket is root on the machine). The
 * nodes are asked in order; the first answer counts.
 */
export function swarmMembersFromNodes(nodeUrls: readonly string[], defaultPort: number, fetchMembers = fetchSwarmMembers): NodeSource {
  return async () => {
    const failures: string[] = [];
    for (const url of nodeUrls) {
      try {
        return nodesFromSwarm(await fetchMembers(url), defaultPort);
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`);
      }
    }
    throw new Error(`no node on a manager told the swarm's members (${failures.join('; ')})`);
  };
}

async function fetchSwarmMembers(nodeUrl: string): Promise<SwarmMember[]> {
  const response = await fetch(nodeUrl.replace(/\/$/, '') + apiPaths.nodeSwarm, { signal: AbortSignal.timeout(MEMBERS_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
  const body = (await response.json()) as SwarmMembersBody;
  if (!Array.isArray(body.members)) throw new Error('the answer has no members');
  return body.members;
}
