import { PlaygroundError, RemovalIncompleteError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { SandboxDriver } from '../sandbox/driver';
import type { ExpiryStore } from './expiry-store';
import type { LiveSessions } from './live-sessions';

export type EndReason = 'closed' | 'expired';
export type SessionEndedListener = (key: string, reason: EndReason) => void;

export interface SessionClosingOptions {
  driver: SandboxDriver;
  logger: Logger;
  sessions: LiveSessions;
  expiries: ExpiryStore;
  /** Sandboxes of a session still being made: waited for, so none outlives its session. */
  inFlight: (key: string) => Promise<unknown>[];
  /** Called as a close begins (the service gives back the admission slots the session held). */
  onClosing: (key: string) => void;
}

/**
 * Ending a session: everything it made is removed, once, however many ask (DELETE, the reaper, an
 * expired lookup). A close that failed part-way stays `closing` to be finished by the next ask.
 */
export class SessionClosing {
  private readonly closing = new Map<string, Promise<void>>();
  private readonly endedListeners: SessionEndedListener[] = [];

  constructor(private readonly options: SessionClosingOptions) {}

  /** Called before a session's resources are removed (terminals close their sockets first). */
  onEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** The close of this session in progress, if any. */
  inProgress(key: string): Promise<void> | undefined {
    return this.closing.get(key);
  }

  /** Keys of sessions whose removal failed part-way and is not being retried: the reaper finishes them. */
  unfinished(): string[] {
    return this.options.sessions
      .all()
      .filter((session) => session.lifecycle === 'closing' && !this.closing.has(session.key))
      .map((session) => session.key);
  }

  /** Ends a session and removes everything it made. Safe to call twice: a second call waits for the first. */
  close(key: string, reason: EndReason): Promise<void> {
    const pending = this.closing.get(key);
    if (pending) return pending;
    const { driver, logger, sessions, expiries } = this.options;
    const session = sessions.find(key);
    const retry = session?.lifecycle === 'closing';
    if (session) session.lifecycle = 'closing';
    this.options.onClosing(key);
    if (!retry) for (const listener of this.endedListeners) listener(key, reason);
    const work = Promise.allSettled(this.options.inFlight(key))
      .then(() => driver.removeSession(key))
      .then(() => {
        if (session) session.lifecycle = 'gone';
        sessions.delete(key);
        void expiries.delete(key).catch(() => {});
        logger.info(`session ${reason}`, { session: sessionLogName(key) });
      })
      .catch((error: unknown) => {
        logger.error('session removal incomplete (DELETE again or the reaper finishes it)', {
          session: sessionLogName(key),
          error: (error as Error).message,
        });
        throw error instanceof PlaygroundError ? error : new RemovalIncompleteError();
      })
      .finally(() => this.closing.delete(key));
    this.closing.set(key, work);
    return work;
  }
}
