import { describe, expect, it } from 'vitest';
import { isInstanceName, nextInstanceName } from './instance-names';

describe('instance names', () => {
  it('picks the lowest free nodeN up to the limit', () => {
    expect(nextInstanceName([], 5)).toBe('node1');
    expect(nextInstanceName(['node1'], 5)).toBe('node2');
    expect(nextInstanceName(['node1', 'node3'], 5)).toBe('node2');
    expect(nextInstanceName(['node2', 'node3'], 5)).toBe('node1');
    expect(nextInstanceName(['node1', 'node2'], 2)).toBeUndefined();
  });

  it('recognises only nodeN names', () => {
    expect(isInstanceName('node1')).toBe(true);
    expect(isInstanceName('node12')).toBe(true);
    expect(['node0', 'node', 'Node1', 'node1x', '../node1', 'node01'].some(isInstanceName)).toBe(false);
  });
});
