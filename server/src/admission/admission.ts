import { AdmissionRefusedError } from '../errors';
import type { RateLimiter } from './rate-limiter';
import { ReservationLedger, type SlotReservation } from './reservation';

export interface AdmissionOptions {
  /** Sessions at once on this server (MAX_SESSIONS). */
  maxSessions: number;
  /** Sandboxes of all sessions at once (MAX_TOTAL_INSTANCES). */
  maxTotalInstances: number;
  /** Sessions one client may have at once (MAX_SESSIONS_PER_CLIENT); 0 = no limit. */
  maxSessionsPerClient?: number;
  /** Session creations per client (SESSION_RATE_LIMIT per minute). */
  rateLimiter: RateLimiter;
  /** Live counts (sessions and instances that exist), read at each decision. */
  usage: () => { sessions: number; instances: number };
  /**
   * The host's available memory in bytes (MemAvailable), read at each decision; with
   * memoryReserveBytes, new Docker hosts are refused while less than the reserve plus their
   * budget is left, whatever the caps say. Default: not consulted.
   */
  memoryAvailable?: () => number | undefined;
  /** Memory kept free for the host and the sessions already running (default 10% of memory). */
  memoryReserveBytes?: number;
}

/** A client already has MAX_SESSIONS_PER_CLIENT sessions: 429, with its own code. */
export class TooManySessionsError extends AdmissionRefusedError {
  override readonly code = 'too_many_sessions';

  /** A client at MAX_SESSIONS_PER_CLIENT, on this machine or (counted by a front) across the cluster. */
  static atLimit(perClient: number): TooManySessionsError {
    return new TooManySessionsError(
      429,
      `You already have ${perClient} sessions open from your address, the most allowed at once. Close one (Close session) or let one expire, then start again.`,
      CLIENT_RETRY_AFTER_MS,
    );
  }
}

/** When the server is full, a retry is worth trying after about this long (sessions end, get closed). */
const FULL_RETRY_AFTER_MS = 60_000;

/** A client at its session limit can start another once one of them ends: worth a retry in a minute. */
const CLIENT_RETRY_AFTER_MS = 60_000;

/**
 * Decides whether a new session or instance may start: a global cap keeps the host from being
 * overcommitted (503), a per-client cap and rate keep one client from taking it all (429). Throws
 * AdmissionRefusedError with a reason a person can read and a retry time. What it admits is
 * reserved at once (see reservation.ts): the caller hands the reservation to the session service,
 * which settles it as things start, and releases it when the start fails.
 */
export class Admission {
  private readonly reserved = new ReservationLedger();

  constructor(private readonly options: AdmissionOptions) {}

  /** `client` is the client key (client-key.ts); `instances` the session's planned instances. */
  admitSession(client: string, instances = 1): SlotReservation {
    this.checkSessionRoom(instances);
    const perClient = this.options.maxSessionsPerClient ?? 0;
    if (perClient > 0 && this.reserved.sessionsOf(client) >= perClient) throw TooManySessionsError.atLimit(perClient);
    const decision = this.options.rateLimiter.take(client);
    if (!decision.allowed) {
      const seconds = Math.ceil(decision.retryAfterMs / 1000);
      throw new AdmissionRefusedError(
        429,
        `Too many new sessions from your address. Please wait ${seconds} s before starting another.`,
        decision.retryAfterMs,
      );
    }
    return this.reserved.reserve(client, instances, true);
  }

  /**
   * A session started ahead of need for people not here yet (a class's seats, started before the
   * class opens): the playground's caps hold, but no client's cap or rate, since nobody asked yet.
   * Counted under `owner` (e.g. "class:<code>") until it ends.
   */
  admitAhead(owner: string, instances = 1): SlotReservation {
    this.checkSessionRoom(instances);
    return this.reserved.reserve(owner, instances, true);
  }

  /** A client's sessions here (reserved or live), and the cap on them (0: none), for a front counting the cluster. */
  clientSessions(client: string): { sessions: number; maxSessionsPerClient: number } {
    return { sessions: this.reserved.sessionsOf(client), maxSessionsPerClient: this.options.maxSessionsPerClient ?? 0 };
  }

  /** Room for `count` more instances in an existing session, reserved. */
  admitInstances(count = 1): SlotReservation {
    this.checkInstanceRoom(this.usage().instances, count);
    return this.reserved.reserve('', count, false);
  }

  /** A session ended (closed, expired): its client may start another. */
  sessionEnded(key: string): void {
    this.reserved.sessionEnded(key);
  }

  /** What exists plus what is reserved and still starting. */
  usage(): { sessions: number; instances: number } {
    const live = this.options.usage();
    return { sessions: live.sessions + this.reserved.sessions, instances: live.instances + this.reserved.instances };
  }

  /**
   * What could still start now: sessions and instances under the caps, reservations counted, and
   * instances the memory left above the reserve can hold. A front places new sessions by it.
   */
  room(): { sessions: number; instances: number } {
    const used = this.usage();
    let instances = Math.max(0, this.options.maxTotalInstances - used.instances);
    const available = this.options.memoryAvailable?.();
    const reserve = this.options.memoryReserveBytes ?? 0;
    if (available !== undefined && reserve > 0) instances = Math.min(instances, Math.max(0, Math.floor((available - reserve) / INSTANCE_BUDGET_BYTES)));
    const sessions = Math.min(Math.max(0, this.options.maxSessions - used.sessions), instances);
    return { sessions, instances };
  }

  /** Room for one more session of `instances` under MAX_SESSIONS and the instance caps. */
  private checkSessionRoom(instances: number): void {
    const { sessions, instances: running } = this.usage();
    if (sessions >= this.options.maxSessions) {
      throw new AdmissionRefusedError(
        503,
        `The playground is full (${this.options.maxSessions} sessions at once). Please try again in a minute.`,
        FULL_RETRY_AFTER_MS,
      );
    }
    this.checkInstanceRoom(running, instances);
  }

  private checkInstanceRoom(running: number, wanted: number): void {
    if (running + wanted > this.options.maxTotalInstances) {
      throw new AdmissionRefusedError(
        503,
        `The playground is full (${this.options.maxTotalInstances} Docker hosts at once). Please try again in a minute.`,
        FULL_RETRY_AFTER_MS,
      );
    }
    // The count cap assumes most instances idle; the memory actually left has the last word.
    const available = this.options.memoryAvailable?.();
    const reserve = this.options.memoryReserveBytes ?? 0;
    if (available !== undefined && reserve > 0 && available < reserve + wanted * INSTANCE_BUDGET_BYTES) {
      throw new AdmissionRefusedError(
        503,
        'The playground is full: this machine’s memory is nearly all in use by the sessions running. Please try again in a minute.',
        FULL_RETRY_AFTER_MS,
      );
    }
  }
}

/**
 * What one instance is budgeted: twice the measured footprint of an idle one with its shell and its
 * session's registry (about 39 + 7 MiB, docs/performance.md "Capacity"). A class's sandboxes are
 * idle most of the time; when many work at once, the memory check in checkInstanceRoom refuses new
 * ones before the host runs short.
 */
export const INSTANCE_BUDGET_BYTES = 96 * 1024 ** 2;

/** The default global cap from the host's memory: INSTANCE_BUDGET_BYTES each on 80% of it (204 on 24 GiB). */
export function defaultMaxTotalInstances(totalMemoryBytes: number): number {
  return Math.max(4, Math.floor((totalMemoryBytes * 0.8) / INSTANCE_BUDGET_BYTES));
}
