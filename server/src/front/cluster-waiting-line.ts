import type { IncomingMessage } from 'node:http';
import { apiPaths } from '../protocol/api-paths';
import type { SessionInfo, TicketHandOver, WaitingRoomStatus } from '../protocol/api-types';
import { askNode, NodeConnectionError, type NodeAnswer } from './forwarding';
import { placementOrder, type KnownNode } from './placement';

// The waiting line is the cluster's. When no node has room, every front sends the line to one node
// (placement's lineKeeper), which admits from it as its own room frees. Room that frees on another
// node is given to the head of that line here: when the head asks about its place and some other
// node has room, the front takes the place out of the keeper's line (hand-over) and starts the
// session on the node with room, answering the poll as the keeper would have: admitted. No front
// keeps anything; the line lives on the keeper, first come first served across the whole cluster.

/**
 * For a poll of a ticket held by `keeper` (its answer `answer`): when it is the head and another
 * node has room, the answer that it was admitted there; else undefined (relay the keeper's answer).
 */
export async function admitHeadElsewhere(request: IncomingMessage, nodes: readonly KnownNode[], keeper: KnownNode, answer: NodeAnswer): Promise<NodeAnswer | undefined> {
  const status = parse<WaitingRoomStatus>(answer.body);
  if (answer.status !== 200 || status?.state !== 'waiting' || status.position !== 1) return undefined;
  const roomy = placementOrder(nodes).filter((node) => node.url !== keeper.url);
  if (roomy.length === 0) return undefined;

  let handed: TicketHandOver | undefined;
  try {
    const reply = await askNode(request, keeper.url, Buffer.alloc(0), { method: 'POST', path: apiPaths.ticketHandOver(status.ticket) });
    // 404: admitted or gone meanwhile; 403: this front is not among the keeper's trusted proxies.
    if (reply.status !== 200) return undefined;
    handed = parse<TicketHandOver>(reply.body);
  } catch {
    return undefined;
  }
  if (!handed) return undefined;
  const body = Buffer.from(JSON.stringify(handed.request));

  for (const node of roomy.filter((candidate) => candidate.status!.freeInstances >= handed.instances)) {
    let created: NodeAnswer;
    try {
      created = await askNode(request, node.url, body, { method: 'POST', path: apiPaths.sessions });
    } catch (error) {
      if (error instanceof NodeConnectionError && error.beforeSent) continue;
      throw error;
    }
    if (created.status === 503) continue; // filled meanwhile: the next one
    const session = parse<SessionInfo>(created.body);
    if (created.status !== 201 || !session) return created; // the node's own words (a 4xx)
    const admitted: WaitingRoomStatus = { ticket: status.ticket, state: 'admitted', position: 0, estimateSeconds: 0, session };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(admitted)) };
  }
  // The room went to someone else meanwhile: back into the keeper's line (at its end; the page
  // follows the new ticket it is given).
  return askNode(request, keeper.url, body, { method: 'POST', path: apiPaths.waitingRoom });
}

function parse<T>(body: Buffer): T | undefined {
  try {
    return JSON.parse(body.toString()) as T;
  } catch {
    return undefined;
  }
}
