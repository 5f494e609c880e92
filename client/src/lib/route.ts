// The client's two kinds of page. The server sends index.html for `/` and `/s/*`.

export type Route = { kind: 'landing' } | { kind: 'session'; id: string };

const SESSION_PATH = /^\/s\/([^/]+)\/?$/;

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
