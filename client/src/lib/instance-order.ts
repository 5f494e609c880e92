// The order instances are listed in. The server lists them as they were added, and a template adds
// several at once, so node4 can come before node2: the page sorts by node number instead.
import type { InstanceInfo } from '../../../server/src/protocol/api-types';

/** node2 before node10; names without a number after those with one, alphabetically. */
export function byNodeNumber(a: Pick<InstanceInfo, 'name'>, b: Pick<InstanceInfo, 'name'>): number {
  const numberOf = (name: string) => {
    const digits = /(\d+)$/.exec(name)?.[1];
    return digits === undefined ? Number.POSITIVE_INFINITY : Number(digits);
  };
  const difference = numberOf(a.name) - numberOf(b.name);
  return Number.isNaN(difference) || difference === 0 ? a.name.localeCompare(b.name) : difference;
}

/** A sorted copy of the instances. */
export function sortedInstances<T extends Pick<InstanceInfo, 'name'>>(instances: readonly T[]): T[] {
  return [...instances].sort(byNodeNumber);
}
