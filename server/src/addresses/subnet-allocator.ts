import { capacityOf, firstFreeSubnet, type Cidr } from './subnet-pool';

/**
 * Hands out session subnets from the playground's range. Blocks being created right now are held
 * here, so two sessions started at once never pick the same one before the engine knows of either.
 */
export class SubnetAllocator {
  readonly #pending = new Set<number>();

  constructor(
    readonly range: Cidr,
    readonly prefix: number,
  ) {}

  /** How many sessions the range holds. */
  get capacity(): number {
    return capacityOf(this.range, this.prefix);
  }

  /** A free block given the subnets the engine uses; held until release(). null: the range is full. */
  reserve(used: readonly Cidr[]): Cidr | null {
    const pending = [...this.#pending].map((base) => ({ base, prefix: this.prefix }));
    const free = firstFreeSubnet(this.range, this.prefix, [...used, ...pending]);
    if (free) this.#pending.add(free.base);
    return free;
  }

  /** The block's network exists on the engine now (or was never made): stop holding it. */
  release(subnet: Cidr): void {
    this.#pending.delete(subnet.base);
  }
}
