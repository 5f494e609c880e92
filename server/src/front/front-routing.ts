import { parseHostForm, parsePathForm } from '../proxy/preview-address';
import { isWellFormedSessionId, sessionKey } from '../sessions/session-key';

/**
 * Where a front sends a request. Pure: from the method, URL and Host alone.
 * - place: a new session (or a place in line) goes to the node placement chooses;
 * - session: to the node holding the session with this key (API, terminal, preview);
 * - ticket: a waiting-room ticket, held by the node whose line it is in;
 * - saved: a saved session, kept by the node that saved it;
 * - any: any serving node answers it alike (workshops, malformed ids and previews);
 * - classes: a class lives on one node (the line keeper's: the first serving by name), learners' seats too;
 * - health, live, metrics: the front answers for the cluster; static: the page.
 */
export type FrontRoute =
  | { kind: 'place' }
  | { kind: 'session'; key: string }
  | { kind: 'ticket' }
  | { kind: 'saved' }
  | { kind: 'any' }
  | { kind: 'classes' }
  | { kind: 'health' }
  | { kind: 'live' }
  | { kind: 'metrics' }
  | { kind: 'static' };

const SESSION_PATH = /^\/api\/sessions\/([^/?]+)/;

export function frontRouteOf(method: string, url: string, host: string | undefined, publicHost: string): FrontRoute {
  const preview = url.startsWith('/p/') ? parsePathForm(url) : parseHostForm(host, publicHost, url);
  if (preview.kind === 'target') return { kind: 'session', key: preview.target.key };
  if (preview.kind !== 'none') return { kind: 'any' };
  const pathname = url.split('?')[0]!;
  if (pathname === '/api/health/live') return { kind: 'live' };
  if (pathname === '/api/health' || pathname === '/api/health/ready') return { kind: 'health' };
  if (method === 'POST' && (pathname === '/api/sessions' || pathname === '/api/waiting-room')) return { kind: 'place' };
  if (pathname.startsWith('/api/waiting-room/')) return { kind: 'ticket' };
  if (pathname.startsWith('/api/saved/')) return { kind: 'saved' };
  const session = SESSION_PATH.exec(pathname);
  if (session) {
    const id = decodeURIComponentSafe(session[1]!);
    return id !== undefined && isWellFormedSessionId(id) ? { kind: 'session', key: sessionKey(id) } : { kind: 'any' };
  }
  if (pathname === '/api/events' || pathname.startsWith('/api/events/') || pathname.startsWith('/api/trainer/')) return { kind: 'classes' };
  if (pathname.startsWith('/api/')) return { kind: 'any' };
  if (pathname === '/metrics') return { kind: 'metrics' };
  return { kind: 'static' };
}

function decodeURIComponentSafe(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
