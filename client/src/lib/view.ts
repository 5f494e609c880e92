// Which screen the page shows, and the one the address bar leads to before the server is asked anything.
import { parseRoute } from './route';

export type View =
  | { kind: 'landing' }
  | { kind: 'loading'; id: string }
  | { kind: 'session' }
  /** The URL names a session the server does not know (never existed, or already removed). */
  | { kind: 'not-found' }
  /** The session on screen ended: closed, expired, or removed by the server. */
  | { kind: 'ended' }
  /** The session could not be loaded for another reason (server unreachable, ...). */
  | { kind: 'unavailable'; id: string; message: string }
  /** A workshop link (/?workshop=<name>) is starting its session. */
  | { kind: 'starting-workshop'; name: string }
  /** A workshop link could not start its session: the server's answer, and whether trying again may help. */
  | { kind: 'workshop-failed'; name: string; message: string; retryable: boolean }
  /** The playground is full: the visitor's place in line; the session starts by itself. */
  | { kind: 'waiting'; ticket: string; position: number; estimateSeconds: number | null };

/** What the address bar leads to, so nothing else shows (or asks the server) before the page mounts. */
export function firstView(location: Pick<Location, 'pathname' | 'search'> | undefined): View {
  if (!location) return { kind: 'landing' };
  const route = parseRoute(location.pathname);
  if (route.kind === 'session') return { kind: 'loading', id: route.id };
  const workshop = workshopOfLink(location.search);
  return workshop ? { kind: 'starting-workshop', name: workshop } : { kind: 'landing' };
}

/** The workshop a link names: /?workshop=<name>. */
export function workshopOfLink(search: string): string | undefined {
  return new URLSearchParams(search).get('workshop')?.trim() || undefined;
}
