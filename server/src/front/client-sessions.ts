import type { IncomingMessage } from 'node:http';
import { TooManySessionsError } from '../admission/admission';
import { apiPaths } from '../protocol/api-paths';
import type { ClientSessionsBody } from '../protocol/api-types';
import { askNode } from './forwarding';
import type { KnownNode } from './placement';

// MAX_SESSIONS_PER_CLIENT counts the whole cluster: before placing a visitor's new session, the
// front asks every serving node how many the visitor has there (each node counts the visitor by the
// X-Forwarded-For the front passes, as it does for its own cap) and refuses at the sum. A node that
// does not answer, or does not trust this front, is not counted: its own cap still holds.

export async function refuseOverClientCap(request: IncomingMessage, nodes: readonly KnownNode[]): Promise<void> {
  const serving = nodes.filter((node) => node.status?.status === 'ok');
  const answers = await Promise.all(serving.map((node) => clientSessionsOn(request, node)));
  const counted = answers.filter((answer): answer is ClientSessionsBody => answer !== undefined);
  const caps = counted.map((answer) => answer.maxSessionsPerClient).filter((cap) => cap > 0);
  if (caps.length === 0) return;
  const cap = Math.min(...caps);
  const sessions = counted.reduce((sum, answer) => sum + answer.sessions, 0);
  if (sessions >= cap) throw TooManySessionsError.atLimit(cap);
}

async function clientSessionsOn(request: IncomingMessage, node: KnownNode): Promise<ClientSessionsBody | undefined> {
  try {
    const answer = await askNode(request, node.url, Buffer.alloc(0), { method: 'GET', path: apiPaths.nodeClient });
    if (answer.status !== 200) return undefined;
    const body = JSON.parse(answer.body.toString()) as ClientSessionsBody;
    return Number.isInteger(body.sessions) && Number.isInteger(body.maxSessionsPerClient) ? body : undefined;
  } catch {
    return undefined;
  }
}
