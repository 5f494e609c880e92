import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SandboxDriver } from '../sandbox/driver';
import type { SessionService } from '../sessions/session-service';
import { sessionLogName } from '../sessions/session-key';
import type { WarmPool } from '../sessions/warm-pool';
import { isExpired, planPeriodicSweep, planStartupSweep } from './expiry-policy';

export interface ReaperOptions {
  driver: SandboxDriver;
  sessions: SessionService;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  /** Run the label sweep every this many ticks (the expiry check runs every tick). */
  sweepEveryTicks: number;
  /** The warm pool, whose sandboxes are live though no session holds them yet. */
  pool?: WarmPool;
  /** No warm-pool sandbox lives longer than this; older unowned ones are leftovers. */
  pooledMaxAgeMs: number;
}

/** How long a half-made session (a network, no sandbox yet) is assumed to be someone's create in progress. */
const CREATING_GRACE_MS = 120_000;

/** Ends expired sessions on a timer and removes leftovers found by label. */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReaperOptions) {}

  /** Removes leftovers of dead sessions and adopts live ones. Run once before serving. */
  async sweepAtStartup(): Promise<{ removed: number; adopted: number }> {
    const { driver, sessions, clock, logger } = this.options;
    const plan = planStartupSweep(clock.now(), await driver.listManaged(), CREATING_GRACE_MS);
    let removed = 0;
    for (const key of plan.remove) {
      // One stubborn leftover must not keep the others: each removal stands alone.
      try {
        await driver.removeSession(key);
        removed++;
        logger.info('removed leftovers of an old session', { session: sessionLogName(key) });
      } catch (error) {
        logger.error('could not remove leftovers', { session: sessionLogName(key), error: (error as Error).message });
      }
    }
    for (const found of plan.adopt) sessions.adopt(found);
    return { removed, adopted: plan.adopt.length };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // Ticks never overlap: a slow engine delays the next check rather than doubling it.
      if (this.running) return;
      this.running = this.tick().finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: close expired sessions; every few passes, sweep the engine by label. */
  async tick(): Promise<void> {
    const { driver, sessions, clock, logger } = this.options;
    const now = clock.now();
    try {
      const expired = sessions.list().filter((s) => s.lifecycle === 'running' && isExpired(now, s.expiresAt));
      await Promise.all(expired.map((s) => sessions.closeByKey(s.key, 'expired')));
      this.ticks++;
      if (this.ticks % this.options.sweepEveryTicks === 0) {
        const live = new Set([...sessions.list().map((s) => s.key), ...(this.options.pool?.keys() ?? [])]);
        const resources = await driver.listManaged();
        for (const key of planPeriodicSweep(now, resources, live, this.options.pooledMaxAgeMs)) {
          const removal = live.has(key) ? sessions.closeByKey(key, 'expired') : driver.removeSession(key);
          await removal.catch((error: Error) =>
            logger.error('could not remove leftovers', { session: sessionLogName(key), error: error.message }),
          );
        }
      }
    } catch (error) {
      logger.error('reaper pass failed', { error: (error as Error).message });
    }
  }
}
