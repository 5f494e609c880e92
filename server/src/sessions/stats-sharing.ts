import type { Clock } from '../clock';
import type { InstanceStats } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import { instanceStats } from '../sandbox/instance-stats';
import type { Instance } from './session';

/** Stats asked within this long of the last answer share it: many tabs cost one engine call. */
const STATS_SHARE_MS = 1_000;

/**
 * Live CPU and memory of instances. Calls while one is in flight, or within STATS_SHARE_MS of its
 * answer, get the same answer; a failure is not shared with later calls.
 */
export class StatsSharing {
  readonly #recent = new WeakMap<Instance, { result: Promise<InstanceStats>; answeredAt?: number }>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly clock: Clock,
  ) {}

  of(instance: Instance): Promise<InstanceStats> {
    const now = this.clock.now().getTime();
    const recent = this.#recent.get(instance);
    if (recent && (recent.answeredAt === undefined || now - recent.answeredAt < STATS_SHARE_MS)) return recent.result;
    const entry: { result: Promise<InstanceStats>; answeredAt?: number } = { result: this.#sample(instance) };
    this.#recent.set(instance, entry);
    entry.result.then(
      () => (entry.answeredAt = this.clock.now().getTime()),
      () => {
        if (this.#recent.get(instance) === entry) this.#recent.delete(instance);
      },
    );
    return entry.result;
  }

  async #sample(instance: Instance): Promise<InstanceStats> {
    const sample = await this.driver.statsSample(instance.containerId);
    const stats = instanceStats(sample, instance.lastStats);
    instance.lastStats = sample;
    return stats;
  }
}
