// The client's pages. The server sends index.html for `/`, `/s/*`, `/e/*`, `/t/*` and `/trainer`.

export type Route = { kind: 'landing' } | { kind: 'session'; id: string };

/** A class's pages, outside the playground's own: making one, joining one, its cockpit. */
export type ClassRoute = { kind: 'trainer' } | { kind: 'join'; code: string } | { kind: 'cockpit'; key: string };

const SESSION_PATH = /^\/s\/([^/]+)\/?$/;
const JOIN_PATH = /^\/e\/([^/]+)\/?$/;
const COCKPIT_PATH = /^\/t\/([^/]+)\/?$/;

/** A class page's route, or undefined for the playground's own pages. */
export function parseClassRoute(pathname: string): ClassRoute | undefined {
  if (pathname === '/trainer' || pathname === '/trainer/') return { kind: 'trainer' };
  const join = JOIN_PATH.exec(pathname)?.[1];
  if (join) return { kind: 'join', code: safeDecode(join) };
  const cockpit = COCKPIT_PATH.exec(pathname)?.[1];
  if (cockpit) return { kind: 'cockpit', key: safeDecode(cockpit) };
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Maps a pathname to a route; anything unrecognised is the landing page. */
export function parseRoute(pathname: string): Route {
  const match = SESSION_PATH.exec(pathname);
  if (match?.[1]) {
    try {
      return { kind: 'session', id: decodeURIComponent(match[1]) };
    } catch {
      // a malformed escape: still a session page; the server will not know the id
      return { kind: 'session', id: match[1] };
    }
  }
  return { kind: 'landing' };
}

export function sessionPath(id: string): string {
  return `/s/${encodeURIComponent(id)}`;
}
