import type { SlotReservation } from '../admission/reservation';
import type { Clock } from '../clock';
import { sessionLogName, type Logger } from '../log';
import type { AdoptableSession } from '../reaper/expiry-policy';
import type { SandboxDriver } from '../sandbox/driver';
import type { ExpiryStore } from './expiry-store';
import type { InstanceLifecycle, SeededInstance } from './instance-lifecycle';
import type { LiveSessions } from './live-sessions';
import type { RegistryPasswords } from './registry-credentials';
import { Session } from './session';
import { newSessionId, sessionKey } from './session-key';
import { applyLimits, type ExtensionPolicy } from './session-limits';
import type { WarmPool, WarmSlot } from './warm-pool';

export interface SessionCreationOptions {
  driver: SandboxDriver;
  pool?: WarmPool;
  clock: Clock;
  logger: Logger;
  sessionTtlMs: number;
  extension?: ExtensionPolicy;
  sessions: LiveSessions;
  instances: InstanceLifecycle;
  expiries: ExpiryStore;
  registryPasswords: RegistryPasswords;
}

/**
 * How a session comes to be held by this server: made now (cold), claimed from the warm pool, or
 * adopted from the engine after a restart.
 */
export class SessionCreation {
  constructor(private readonly options: SessionCreationOptions) {}

  /**
   * A session with one instance, node1: from the warm pool when it has a ready sandbox, otherwise
   * started now. `seeded`: the first instance instead starts from a saved disk (never pooled).
   * On failure nothing of it is left behind.
   */
  async create(reservation: SlotReservation | undefined, seeded?: SeededInstance): Promise<{ id: string; session: Session }> {
    if (seeded) return this.cold(reservation, seeded);
    const slot = this.options.pool?.take();
    if (slot) {
      try {
        return await this.fromSlot(slot, reservation);
      } catch (error) {
        // The slot went away (removed from outside, engine hiccup): start one the slow way.
        this.options.logger.warn('warm sandbox could not be claimed', {
          session: sessionLogName(slot.key),
          error: (error as Error).message,
        });
        void this.options.driver.removeSession(slot.key).catch(() => {});
      }
    }
    return this.cold(reservation);
  }

  /** Takes over a session found on the engine at start-up (the server restarted while it ran). */
  adopt(found: AdoptableSession): void {
    const { sessions, expiries } = this.options;
    if (sessions.has(found.key)) return;
    // The saved expiry wins over the labels': an extension, or a session from the warm pool.
    const saved = expiries.get(found.key);
    const session = this.newSession(found.key, found.createdAt, saved?.expiresAt ?? found.expiresAt, true);
    if (saved) session.maxExpiresAt = saved.maxExpiresAt;
    this.options.instances.adopt(session, found.instances);
    session.lifecycle = 'running';
    sessions.add(session);
    this.options.logger.info('session adopted', { session: sessionLogName(found.key) });
  }

  private newSession(key: string, createdAt: Date, expiresAt: Date, adopted = false): Session {
    const session = new Session(key, createdAt, expiresAt, this.options.registryPasswords.passwordOf(key), adopted);
    applyLimits(session, this.options.sessionTtlMs, this.options.extension);
    return session;
  }

  private async fromSlot(slot: WarmSlot, reservation: SlotReservation | undefined): Promise<{ id: string; session: Session }> {
    const { driver, logger } = this.options;
    const now = this.options.clock.now();
    await driver.claimInstance(slot.key, 'node1');
    // Never outlive the labels the slot was made with (the reaper trusts them after a restart).
    const expiresAt = new Date(Math.min(now.getTime() + this.options.sessionTtlMs, slot.labelExpiresAt.getTime()));
    const session = this.newSession(slot.key, now, expiresAt);
    // Its labels say later (the slot waited in the pool): after a restart this is what counts.
    await this.markUnanswered(session);
    session.instances.set('node1', {
      name: 'node1',
      containerId: slot.instance.containerId,
      ip: slot.instance.ip,
      state: 'running',
      ready: Promise.resolve(),
    });
    session.lifecycle = 'running';
    this.options.sessions.add(session);
    reservation?.sessionStarted(slot.key);
    reservation?.instanceSettled();
    logger.info('session created from the warm pool', {
      session: sessionLogName(slot.key),
      expiresAt: expiresAt.toISOString(),
    });
    return { id: slot.id, session };
  }

  private async cold(reservation: SlotReservation | undefined, seeded?: SeededInstance): Promise<{ id: string; session: Session }> {
    const { driver, clock, logger, sessions } = this.options;
    const id = newSessionId();
    const key = sessionKey(id);
    const createdAt = clock.now();
    const session = this.newSession(key, createdAt, new Date(createdAt.getTime() + this.options.sessionTtlMs));
    sessions.add(session);
    // Counted as live from here (usage() counts the map); if the start fails, the caller's release
    // of the reservation forgets it for its client.
    reservation?.sessionStarted(key);
    try {
      // Marked before anything exists on the engine: a server killed from here until the id is
      // handed out leaves nothing the next start would adopt.
      await this.markUnanswered(session);
      await driver.createSessionNetwork(key, session.expiresAt, createdAt);
      await this.options.instances.start(session, seeded?.name ?? 'node1', reservation, seeded?.seedDisk);
      session.lifecycle = 'running';
    } catch (error) {
      sessions.delete(key);
      session.lifecycle = 'gone';
      await driver
        .removeSession(key)
        .then(
          () => this.options.expiries.delete(key),
          (cleanupError: Error) =>
            // Its unanswered mark stays: the next start removes what is left.
            logger.error('cleanup after failed create failed', {
              session: sessionLogName(key),
              error: cleanupError.message,
            }),
        )
        .catch(() => {});
      throw error;
    }
    logger.info('session created', { session: sessionLogName(key), expiresAt: session.expiresAt.toISOString() });
    return { id, session };
  }

  /** Until its id is handed out, a restarted server removes the session rather than adopting it. */
  private async markUnanswered(session: Session): Promise<void> {
    await this.options.expiries
      .set(session.key, { expiresAt: session.expiresAt, maxExpiresAt: session.maxExpiresAt, unanswered: true })
      .catch((error: Error) => this.options.logger.warn('session expiry not saved', { error: error.message }));
  }
}
