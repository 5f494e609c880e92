// The loops that keep the session on screen fresh: its poll, the countdown's tick, the instances' stats.
import type { InstanceStats, SessionInfo } from '../../../server/src/protocol/api-types';
import { ApiError, getInstanceStats, getSession } from './api';
import { msLeft, pollDelayMs, STATS_INTERVAL_MS } from './refresh-timing';
import { msUntilNextTick } from './time-format';
import type { Visit } from './visit';

/** What the loops need of the page: the session on screen, and where what they learn goes. */
export interface RefreshHost {
  session(): SessionInfo | null;
  /** A fresher copy of the session on screen arrived. */
  update(session: SessionInfo): void;
  /** The session is gone or over. */
  end(): void;
  /** The machine holding the session cannot be reached (a cluster's front says so): the server's words. */
  lost(message: string): void;
}

/**
 * Each loop belongs to the visit it began in: a later visit (another session, the landing page)
 * leaves it to stop at its next turn, so stop() need not wait for a request in flight.
 */
export class SessionRefresh {
  /** The clock the countdown reads, advanced once a second while a session shows. */
  now = $state(Date.now());
  /** Live CPU and memory per instance, refreshed every few seconds while the session shows. */
  stats = $state<Record<string, InstanceStats>>({});

  readonly #visit: Visit;
  readonly #host: RefreshHost;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #statsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(visit: Visit, host: RefreshHost) {
    this.#visit = visit;
    this.#host = host;
  }

  /** Starts the three loops for the session just shown. */
  start(): void {
    const visit = this.#visit.current;
    this.#tick(visit);
    this.#schedulePoll(visit);
    void this.#pollStats(visit);
  }

  /** The page is visible again: the countdown catches up, and stats (not asked for while hidden) come at once. */
  resume(): void {
    if (!this.#host.session()) return;
    const visit = this.#visit.current;
    this.#tick(visit);
    void this.#pollStats(visit);
  }

  /** Asks for the session again one interval from now (the interval the session now calls for). */
  schedulePoll(): void {
    this.#schedulePoll(this.#visit.current);
  }

  /** Asks for the session at once (something suggests it changed), then goes on polling. */
  pollNow(): void {
    void this.#poll(this.#visit.current);
  }

  /** Stops the timers and forgets the stats; the visit they belong to has already ended. */
  stop(): void {
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#statsTimer);
    this.#statsTimer = undefined;
    this.stats = {};
    this.#pollTimer = undefined;
    this.#tickTimer = undefined;
  }

  #schedulePoll(visit: number): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => void this.#poll(visit), pollDelayMs(this.#host.session()));
  }

  async #poll(visit: number): Promise<void> {
    const id = this.#host.session()?.id;
    if (!this.#visit.isCurrent(visit) || !id) return;
    try {
      const session = await getSession(id, this.#visit.signal);
      if (!this.#visit.isCurrent(visit)) return;
      this.#host.update(session);
    } catch (error) {
      if (!this.#visit.isCurrent(visit)) return;
      if (error instanceof ApiError && error.isNotFound) {
        this.#host.end();
        return;
      }
      if (error instanceof ApiError && error.code === 'node_unreachable') {
        this.#host.lost(error.message);
        return;
      }
      // A passing network problem: keep the view and try again at the next interval.
    }
    this.#schedulePoll(visit);
  }

  /** Advances the countdown; at zero, asks the server and ends the session. */
  #tick(visit: number): void {
    const session = this.#host.session();
    if (!this.#visit.isCurrent(visit) || !session) return;
    clearTimeout(this.#tickTimer);
    this.now = Date.now();
    const left = msLeft(session, this.now);
    if (left <= 0) {
      void this.#checkExpired(visit);
      return;
    }
    this.#tickTimer = setTimeout(() => this.#tick(visit), msUntilNextTick(left));
  }

  async #checkExpired(visit: number): Promise<void> {
    const id = this.#host.session()?.id;
    if (!id) return;
    try {
      const session = await getSession(id, this.#visit.signal);
      if (!this.#visit.isCurrent(visit)) return;
      if (Date.parse(session.expiresAt) > Date.now()) {
        // Extended, or this computer's clock runs ahead of the server's: keep counting.
        this.#host.update(session);
        this.#tick(visit);
        return;
      }
    } catch {
      if (!this.#visit.isCurrent(visit)) return;
    }
    // Gone (404), or past its expiry and about to be removed by the server: either way it is over.
    this.#host.end();
  }

  /**
   * Asks each running instance for its CPU and memory, every STATS_INTERVAL_MS, while the page is
   * visible: a background tab costs the server nothing (each answer is a Docker stats call). The
   * page becoming visible again restarts the loop (resume()).
   */
  async #pollStats(visit: number): Promise<void> {
    const session = this.#host.session();
    if (!this.#visit.isCurrent(visit) || !session) return;
    clearTimeout(this.#statsTimer);
    this.#statsTimer = undefined;
    if (document.visibilityState === 'hidden') return;
    await Promise.all(
      session.instances
        .filter((instance) => instance.state === 'running')
        .map(async (instance) => {
          try {
            const stats = await getInstanceStats(session.id, instance.name, this.#visit.signal);
            if (this.#visit.isCurrent(visit)) this.stats[instance.name] = stats;
          } catch {
            // a passing failure (or the instance just went away): try again next time
          }
        }),
    );
    // A second loop (started by the page becoming visible while this one waited) owns the timer.
    if (!this.#visit.isCurrent(visit) || this.#statsTimer !== undefined) return;
    this.#statsTimer = setTimeout(() => void this.#pollStats(visit), STATS_INTERVAL_MS);
  }
}
