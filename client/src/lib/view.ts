// Which screen the page shows, and the one the address bar leads to before the server is asked anything.
import type { StartWanted } from './api';
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
  /** A link (a workshop's, or a stack's) is starting its session. */
  | { kind: 'starting-link'; link: StartLink }
  /** A link could not start its session: the server's answer, and whether trying again may help. */
  | { kind: 'link-failed'; link: StartLink; message: string; retryable: boolean }
  /** The playground is full: the visitor's place in line; the session starts by itself. */
  | { kind: 'waiting'; ticket: string; position: number; estimateSeconds: number | null };

/** What the address bar leads to, so nothing else shows (or asks the server) before the page mounts. */
export function firstView(location: Pick<Location, 'pathname' | 'search'> | undefined): View {
  if (!location) return { kind: 'landing' };
  const route = parseRoute(location.pathname);
  if (route.kind === 'session') return { kind: 'loading', id: route.id };
  const link = linkOf(location.search);
  return link ? { kind: 'starting-link', link } : { kind: 'landing' };
}

/**
 * What a link starts: /?workshop=<name>, Play-with-Docker's /?stack=<URL of a compose file>
 * (with &stack_name=<name>, the compose project's name), or /?saved=<id> (a saved session: each
 * visit starts a new session from it).
 */
export type StartLink = { kind: 'workshop'; name: string } | { kind: 'stack'; url: string; name?: string } | { kind: 'saved'; id: string };

/** What the page says while a link starts its session, and if it could not. */
export function linkHeadings(link: StartLink): { starting: string; failed: string } {
  if (link.kind === 'workshop') return { starting: 'Starting the workshop…', failed: 'Could not start the workshop' };
  if (link.kind === 'saved') return { starting: 'Resuming the saved session…', failed: 'Could not resume the saved session' };
  return { starting: 'Fetching the stack…', failed: 'Could not start the stack' };
}

export function linkOf(search: string): StartLink | undefined {
  const params = new URLSearchParams(search);
  const workshop = params.get('workshop')?.trim();
  if (workshop) return { kind: 'workshop', name: workshop };
  const saved = params.get('saved')?.trim();
  if (saved) return { kind: 'saved', id: saved };
  const stack = params.get('stack')?.trim();
  if (!stack) return undefined;
  const name = params.get('stack_name')?.trim();
  return name ? { kind: 'stack', url: stack, name } : { kind: 'stack', url: stack };
}

/** What a link asks the server for (the body of POST /api/sessions). */
export function wantedOf(link: StartLink): StartWanted {
  if (link.kind === 'workshop') return { workshop: link.name };
  if (link.kind === 'saved') return { saved: link.id };
  return { stack: link.url, ...(link.name ? { stackName: link.name } : {}) };
}

