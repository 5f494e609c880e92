import { describe, expect, it } from 'vitest';
import { findTemplate, instanceCount, roles, TEMPLATES } from './templates';

describe('templates', () => {
  it('swarm-3m2w is node1-3 managers and node4-5 workers', () => {
    const template = findTemplate('swarm-3m2w')!;
    expect(instanceCount(template)).toBe(5);
    expect(roles(template)).toEqual([
      { name: 'node1', role: 'manager' },
      { name: 'node2', role: 'manager' },
      { name: 'node3', role: 'manager' },
      { name: 'node4', role: 'worker' },
      { name: 'node5', role: 'worker' },
    ]);
  });

  it('swarm-1m1w is one of each; unknown names are not templates', () => {
    expect(roles(findTemplate('swarm-1m1w')!)).toEqual([
      { name: 'node1', role: 'manager' },
      { name: 'node2', role: 'worker' },
    ]);
    expect(findTemplate('swarm-9m')).toBeUndefined();
    expect(TEMPLATES.map((template) => template.name)).toEqual(['swarm-3m2w', 'swarm-1m1w']);
  });
});
