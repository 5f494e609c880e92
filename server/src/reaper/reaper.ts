import type { Clock } from '../clock';
import { sessionLogName, type Logger } from '../log';
import type { SandboxDriver } from '../sandbox/driver';
import type { SessionService } from '../sessions/session-service';
import type { WarmPool } from '../sessions/warm-pool';
import { isExpired, ownResources, withSavedExpiries, planForeignSweep, planPeriodicSweep, planStartupSweep } from './expiry-policy';

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
  /** This playground's name (PLAYGROUND_NAME): only resources carrying it are adopted and swept. */
  owner: string;
}

/**
 * At start-up a half-made session of this playground's own (a network, no running sandbox: the
 * server was killed while creating it) cannot be anyone's create in progress: neighbours carry
 * other names, and this server has not started creating yet. So it is removed at once, no grace.
 */
const CREATING_GRACE_MS = 0;

/** A neighbour's session expired this long ago is taken for abandoned (its server is gone). */
const FOREIGN_GRACE_MS = 60 * 60_000;

/** Ends expired sessions on a timer and removes leftovers found by label. */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReaperOptions) {}

  /** Removes leftovers of dead sessions and adopts live ones. Run once before serving. */
  async sweepAtStartup(): Promise<{ removed: number; adopted: number }> {
    const { driver, sessions, clock, logger } = this.options;
    const resources = await driver.listManaged();
    // An extended session's labels say it ended long ago: its saved expiry is the truth.
    const own = withSavedExpiries(ownResources(resources, this.options.owner), (key) => sessions.savedExpiry(key));
    const plan = planStartupSweep(clock.now(), own, CREATING_GRACE_MS, (key) => sessions.wasUnanswered(key));
    const abandoned = planForeignSweep(clock.now(), resources, this.options.owner, FOREIGN_GRACE_MS);
    let removed = 0;
    for (const key of [...plan.remove, ...abandoned]) {
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
      // Removals the engine refused part-way (a volume still in use) are finished here.
      await Promise.all(sessions.unfinishedCloses().map((key) => sessions.closeByKey(key, 'closed').catch(() => {})));
      this.ticks++;
      if (this.ticks % this.options.sweepEveryTicks === 0) {
        const live = new Set([...sessions.list().map((s) => s.key), ...(this.options.pool?.keys() ?? [])]);
        const resources = await driver.listManaged();
        const own = planPeriodicSweep(now, ownResources(resources, this.options.owner), live, this.options.pooledMaxAgeMs);
        for (const key of [...own, ...planForeignSweep(now, resources, this.options.owner, FOREIGN_GRACE_MS)]) {
          await driver.removeSession(key).catch((error: Error) =>
            logger.error('could not remove leftovers', { session: sessionLogName(key), error: error.message }),
          );
        }
      }
    } catch (error) {
      logger.error('reaper pass failed', { error: (error as Error).message });
    }
  }
}
