import type { IncomingMessage } from 'node:http';
import { apiPaths } from '../protocol/api-paths';
import { askNode, type NodeAnswer } from './forwarding';
import type { KnownNode } from './placement';

// A saved session is files on the node that saved it (its sessions' disks are there): a session
// started from it must be made on that node, and /api/saved/{id} answered by it. A front asks the
// nodes in turn; the ids are random, so at most one knows each.

/** The id of the saved session a new session's body asks to start from, if any. */
export function savedIdOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString()) as { saved?: unknown };
    return typeof parsed.saved === 'string' ? parsed.saved : undefined;
  } catch {
    return undefined;
  }
}

/** The node that keeps saved session `id`, or undefined when none that answers does. */
export async function savedHolder(request: IncomingMessage, nodes: readonly KnownNode[], id: string): Promise<KnownNode | undefined> {
  for (const node of nodes) {
    const answer = await askNode(request, node.url, Buffer.alloc(0), { method: 'GET', path: apiPaths.saved(id) }).catch(() => undefined);
    if (answer?.status === 200) return node;
  }
  return undefined;
}

/**
 * Passes a request about a saved session (or a waiting-room ticket) to the nodes in turn until one
 * knows it (anything but 404). Undefined when no node answered at all.
 */
export async function askUntilKnown(request: IncomingMessage, nodes: readonly KnownNode[], body: Buffer): Promise<{ answer: NodeAnswer; node: KnownNode } | undefined> {
  let last: { answer: NodeAnswer; node: KnownNode } | undefined;
  for (const node of nodes) {
    let answer: NodeAnswer;
    try {
      answer = await askNode(request, node.url, body);
    } catch {
      continue;
    }
    last = { answer, node };
    if (answer.status !== 404) break;
  }
  return last;
}
