import { describe, expect, it } from 'vitest';
import { sortedInstances } from './instance-order';

const names = (list: string[]) => sortedInstances(list.map((name) => ({ name }))).map((instance) => instance.name);

describe('instance order', () => {
  it('lists instances by node number, as a template adds them in any order', () => {
    expect(names(['node1', 'node3', 'node4', 'node5', 'node2'])).toEqual(['node1', 'node2', 'node3', 'node4', 'node5']);
    expect(names(['node10', 'node2', 'node1'])).toEqual(['node1', 'node2', 'node10']);
  });

  it('puts names without a number last, alphabetically, and leaves the input alone', () => {
    const input = [{ name: 'zeta' }, { name: 'node2' }, { name: 'alpha' }];
    expect(sortedInstances(input).map((instance) => instance.name)).toEqual(['node2', 'alpha', 'zeta']);
    expect(input.map((instance) => instance.name)).toEqual(['zeta', 'node2', 'alpha']);
  });
});
