import { AdmissionRefusedError } from '../errors';
import type { RateLimiter } from './rate-limiter';

export interface AdmissionOptions {
  /** Sessions at once on this server (MAX_SESSIONS). */
  maxSessions: number;
  /** Sandboxes of all sessions at once (MAX_TOTAL_INSTANCES). */
  maxTotalInstances: number;
  /** Session creations per client address (SESSION_RATE_LIMIT per minute). */
  rateLimiter: RateLimiter;
  /** Live counts, read at each decision. */
  usage: () => { sessions: number; instances: number };
}

/** When the server is full, a retry is worth trying after about this long (sessions end, get closed). */
const FULL_RETRY_AFTER_MS = 60_000;

/**
 * Decides whether a new session or instance may start: a global cap keeps the host from being
 * overcommitted (503), a per-address rate keeps one client from taking it all (429). Throws
 * AdmissionRefusedError with a reason a person can read and a retry time.
 */
export class Admission {
  constructor(private readonly options: AdmissionOptions) {}

  admitSession(clientAddress: string, instances = 1): void {
    const { sessions, instances: running } = this.options.usage();
    if (sessions >= this.options.maxSessions) {
      throw new AdmissionRefusedError(
        503,
        `The playground is full (${this.options.maxSessions} sessions at once). Please try again in a minute.`,
        FULL_RETRY_AFTER_MS,
      );
    }
    this.checkInstanceRoom(running, instances);
    const decision = this.options.rateLimiter.take(clientAddress);
    if (!decision.allowed) {
      const seconds = Math.ceil(decision.retryAfterMs / 1000);
      throw new AdmissionRefusedError(
        429,
        `Too many new sessions from your address. Please wait ${seconds} s before starting another.`,
        decision.retryAfterMs,
      );
    }
  }

  admitInstances(count = 1): void {
    this.checkInstanceRoom(this.options.usage().instances, count);
  }

  private checkInstanceRoom(running: number, wanted: number): void {
    if (running + wanted > this.options.maxTotalInstances) {
      throw new AdmissionRefusedError(
        503,
        `The playground is full (${this.options.maxTotalInstances} Docker hosts at once). Please try again in a minute.`,
        FULL_RETRY_AFTER_MS,
      );
    }
  }
}

/**
 * The default global cap from the host's memory: an active instance (nested dockerd plus a few
 * workshop containers) is budgeted 320 MiB on 80% of memory. Idle ones use far less (~40 MiB), so
 * this is conservative on purpose: a full host hurts every session on it.
 */
export function defaultMaxTotalInstances(totalMemoryBytes: number): number {
  return Math.max(4, Math.floor((totalMemoryBytes * 0.8) / (320 * 1024 ** 2)));
}
