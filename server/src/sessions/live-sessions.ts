import { InstanceNotFoundError, SessionNotFoundError } from '../errors';
import type { Clock } from '../clock';
import { isExpired } from '../reaper/expiry-policy';
import type { Instance, Session } from './session';
import { isWellFormedSessionId, sessionKey } from './session-key';

/**
 * The sessions this server holds, by key. The one place a session id becomes a key and a closing,
 * gone or expired session stops being found.
 */
export class LiveSessions {
  private readonly byKey = new Map<string, Session>();

  /**
   * `onExpiredLookup`: a session looked up by id past its end is closed there and then (the reaper
   * would get to it later; the visitor should not see it meanwhile).
   */
  constructor(
    private readonly clock: Clock,
    private readonly onExpiredLookup: (key: string) => void,
  ) {}

  add(session: Session): void {
    this.byKey.set(session.key, session);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** The session under this key in whatever state (closing included), for the service's own bookkeeping. */
  find(key: string): Session | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The live session with this id; throws SessionNotFoundError for unknown, malformed or expired ids. */
  get(id: string): Session {
    if (!isWellFormedSessionId(id)) throw new SessionNotFoundError();
    const session = this.byKey.get(sessionKey(id));
    if (!session || !isLive(session)) throw new SessionNotFoundError();
    if (isExpired(this.clock.now(), session.expiresAt)) {
      this.onExpiredLookup(session.key);
      throw new SessionNotFoundError();
    }
    return session;
  }

  /** The live session with this key (port previews name sessions by key, never by id). */
  getByKey(key: string): Session {
    const session = this.byKey.get(key);
    if (!session || !isLive(session)) throw new SessionNotFoundError();
    if (isExpired(this.clock.now(), session.expiresAt)) throw new SessionNotFoundError();
    return session;
  }

  instance(id: string, name: string): { session: Session; instance: Instance } {
    const session = this.get(id);
    const instance = session.instances.get(name);
    if (!instance) throw new InstanceNotFoundError(name);
    return { session, instance };
  }

  all(): Session[] {
    return [...this.byKey.values()];
  }

  /** How many sessions and sandboxes are held, for admission. */
  usage(): { sessions: number; instances: number } {
    let instances = 0;
    for (const session of this.byKey.values()) instances += session.instances.size;
    return { sessions: this.byKey.size, instances };
  }
}

function isLive(session: Session): boolean {
  return session.lifecycle === 'starting' || session.lifecycle === 'running';
}
