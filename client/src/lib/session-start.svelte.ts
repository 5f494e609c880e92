// Starting a session: the Start buttons, links (/?workshop=<name>, /?stack=<URL>), and the waiting line when the playground is full.
import type { SessionInfo } from '../../../server/src/protocol/api-types';
import { ApiError, createSession, deleteSession, joinWaitingRoom, leaveWaitingRoom, waitingRoomStatus, type StartWanted } from './api';
import { isFull, isRetryableStart, messageOf } from './api-errors';
import { sessionPath } from './route';
import { wantedOf, type StartLink, type View } from './view';
import type { Visit } from './visit';

/** How often a visitor in line asks for their place (the server drops a place not asked about for 60 s). */
export const WAITING_POLL_MS = 3_000;

/** What starting needs of the page: the view on screen, and a way to leave it for a session. */
export interface StartHost {
  view(): View;
  show(view: View): void;
  /** Forgets the session on screen and begins a new visit. */
  leave(): void;
  /** Shows a session that has just started. */
  enter(session: SessionInfo): void;
}

export class SessionStart {
  /** A start is pending; the Start buttons wait for it. */
  starting = $state(false);
  /** Why the last start failed, in words; cleared when a session shows. */
  startError = $state<string | null>(null);

  readonly #visit: Visit;
  readonly #host: StartHost;

  constructor(visit: Visit, host: StartHost) {
    this.#visit = visit;
    this.#host = host;
  }

  /**
   * Starts a new session (from a template such as "swarm-3m2w", if given) and shows it at /s/<id>.
   * A second call while one is pending does nothing.
   */
  async start(template?: string, workshop?: string): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.startError = null;
    try {
      const session = await createSession(undefined, { template, workshop });
      this.#host.leave();
      window.history.pushState(null, '', sessionPath(session.id));
      this.#host.enter(session);
    } catch (error) {
      if (isFull(error)) void this.#waitInLine({ template, workshop }, 'push');
      else this.startError = messageOf(error);
    } finally {
      this.starting = false;
    }
  }

  /**
   * The playground is full: takes a place in its waiting line, shows it, and asks every few seconds
   * until the session has started, then shows it as a fresh start would. Leaving the view (Back,
   * Leave the line) gives the place up.
   */
  async #waitInLine(wanted: StartWanted, history: 'push' | 'replace'): Promise<void> {
    this.#host.leave();
    const visit = this.#visit.current;
    let ticket: string | undefined;
    try {
      let status = await joinWaitingRoom(wanted);
      while (this.#visit.isCurrent(visit)) {
        ticket = status.ticket;
        if (status.state === 'admitted' && status.session) {
          window.history[history === 'push' ? 'pushState' : 'replaceState'](null, '', sessionPath(status.session.id));
          this.#host.enter(status.session);
          return;
        }
        if (status.state === 'failed') throw new ApiError(503, 'start_failed' as never, status.error?.message ?? 'Your session could not be started.');
        this.#host.show({ kind: 'waiting', ticket: status.ticket, position: status.position, estimateSeconds: status.estimateSeconds });
        await new Promise((resolve) => setTimeout(resolve, WAITING_POLL_MS));
        if (!this.#visit.isCurrent(visit)) break;
        // A lapsed place (the tab slept past the server's patience) is taken again, at the back.
        status = await waitingRoomStatus(status.ticket).catch((error: unknown) => {
          if (error instanceof ApiError && error.isNotFound) return joinWaitingRoom(wanted);
          throw error;
        });
      }
      if (ticket) void leaveWaitingRoom(ticket);
    } catch (error) {
      if (!this.#visit.isCurrent(visit)) return;
      this.#host.show({ kind: 'landing' });
      this.startError = messageOf(error);
    }
  }

  /** Leave the line: the place is given up and the landing page shows again. */
  leaveLine(): void {
    const view = this.#host.view();
    if (view.kind !== 'waiting') return;
    const ticket = view.ticket;
    this.#host.leave();
    void leaveWaitingRoom(ticket);
    window.history.replaceState(null, '', '/');
    this.#host.show({ kind: 'landing' });
  }

  /**
   * Starts the session of a link (a workshop's, a stack's): one POST, whatever it answers. Its history entry is
   * replaced by the session's, so Back goes where the person came from rather than to the link
   * (which would start a second session). A failure stays on screen with the server's answer.
   */
  async startFromLink(link: StartLink): Promise<void> {
    this.#host.leave();
    const visit = this.#visit.current;
    this.#host.show({ kind: 'starting-link', link });
    this.starting = true;
    try {
      // Not cancelled on leaving: the server may have made the session already; it is deleted below.
      const session = await createSession(undefined, wantedOf(link));
      if (!this.#visit.isCurrent(visit)) {
        // The person went elsewhere meanwhile (Back): nobody will use this session.
        void deleteSession(session.id).catch(() => undefined);
        return;
      }
      window.history.replaceState(null, '', sessionPath(session.id));
      this.#host.enter(session);
    } catch (error) {
      if (!this.#visit.isCurrent(visit)) return;
      if (isFull(error)) {
        void this.#waitInLine(wantedOf(link), 'replace');
        return;
      }
      this.#host.show({ kind: 'link-failed', link, message: messageOf(error), retryable: isRetryableStart(error) });
    } finally {
      this.starting = false;
    }
  }

  /** Tries the link on screen again (after it failed for a passing reason). */
  retryLink(): void {
    const view = this.#host.view();
    if (view.kind === 'link-failed') void this.startFromLink(view.link);
  }
}
