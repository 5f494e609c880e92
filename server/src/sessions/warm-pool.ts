import type { Clock } from '../clock';
import { sessionLogName, type Logger } from '../log';
import type { SandboxDriver, StartedInstance } from '../sandbox/driver';
import { newSessionId, sessionKey } from './session-key';

/** A sandbox started ahead of need, with Docker inside already answering, for one future session. */
export interface WarmSlot {
  /** The id the session will have: made with the slot, because the labels name its key. */
  id: string;
  key: string;
  createdAt: Date;
  /** What the slot's labels say; a session made from it must not outlive this. */
  labelExpiresAt: Date;
  instance: StartedInstance;
}

export interface WarmPoolOptions {
  driver: SandboxDriver;
  clock: Clock;
  logger: Logger;
  /** How many ready sandboxes to keep. 0 disables the pool. */
  size: number;
  sessionTtlMs: number;
  /** A slot unclaimed for this long is replaced (so a session from it still gets its full TTL). */
  maxIdleMs: number;
  readyTimeoutMs: number;
  /**
   * Called once a slot's Docker answers, before it counts as ready: the server opens the login
   * shell here, so a new session's prompt is already waiting when its terminal attaches.
   */
  prepare?: (slot: WarmSlot) => Promise<void>;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Keeps `size` sandboxes started and ready, each never shared: take() hands one to a new session
 * and a replacement is started in the background. Slots are made one at a time, so refilling never
 * competes with the sessions being served for more than one sandbox's start-up.
 */
export class WarmPool {
  private readonly slots: WarmSlot[] = [];
  private readonly making = new Set<string>();
  private filling: Promise<void> | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private recycleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: WarmPoolOptions) {}

  start(): void {
    if (this.options.size <= 0) return;
    this.fill();
    this.recycleTimer = setInterval(() => this.recycle(), Math.min(60_000, Math.max(1000, this.options.maxIdleMs / 4)));
    this.recycleTimer.unref();
  }

  /** A ready slot, or undefined when none is ready (the caller starts a sandbox itself). */
  take(): WarmSlot | undefined {
    const slot = this.slots.shift();
    this.fill();
    return slot;
  }

  /** Slots ready now. */
  get readyCount(): number {
    return this.slots.length;
  }

  /** Keys of every slot, ready or being made: the reaper must not sweep them. */
  keys(): string[] {
    return [...this.slots.map((slot) => slot.key), ...this.making];
  }

  /** Stops refilling and removes every slot. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.recycleTimer);
    await this.filling;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => this.discard(slot.key)));
  }

  /** Starts making one slot if the pool is short and none is being made. */
  private fill(): void {
    if (this.stopped || this.filling || this.retryTimer) return;
    if (this.slots.length >= this.options.size) return;
    this.filling = this.makeSlot()
      .then((slot) => {
        this.failures = 0;
        if (this.stopped) return this.discard(slot.key);
        this.slots.push(slot);
      })
      .catch((error: Error) => {
        this.failures++;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failures);
        this.options.logger.warn('warm pool could not start a sandbox', { error: error.message, retryInMs: delay });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.fill();
        }, delay);
        this.retryTimer.unref();
      })
      .finally(() => {
        this.filling = undefined;
        this.fill();
      });
  }

  private async makeSlot(): Promise<WarmSlot> {
    const { driver, clock } = this.options;
    const id = newSessionId();
    const key = sessionKey(id);
    const createdAt = clock.now();
    const labelExpiresAt = new Date(createdAt.getTime() + this.options.sessionTtlMs + this.options.maxIdleMs);
    this.making.add(key);
    try {
      await driver.createSessionNetwork(key, labelExpiresAt, createdAt);
      const instance = await driver.startInstance({
        sessionKey: key,
        name: 'node1',
        expiresAt: labelExpiresAt,
        createdAt,
        pooled: true,
      });
      await driver.waitUntilReady(instance.containerId, this.options.readyTimeoutMs);
      const slot = { id, key, createdAt, labelExpiresAt, instance };
      await this.options.prepare?.(slot);
      return slot;
    } catch (error) {
      await this.discard(key);
      throw error;
    } finally {
      this.making.delete(key);
    }
  }

  /** Replaces slots idle longer than maxIdleMs. */
  private recycle(): void {
    const now = this.options.clock.now().getTime();
    for (const slot of [...this.slots]) {
      if (now - slot.createdAt.getTime() >= this.options.maxIdleMs) {
        this.slots.splice(this.slots.indexOf(slot), 1);
        void this.discard(slot.key);
      }
    }
    this.fill();
  }

  private async discard(key: string): Promise<void> {
    await this.options.driver.removeSession(key).catch((error: Error) =>
      this.options.logger.warn('could not remove a warm sandbox', { session: sessionLogName(key), error: error.message }),
    );
  }
}
