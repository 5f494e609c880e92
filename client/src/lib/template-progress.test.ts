import { describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../../server/src/protocol/api-types';
import { nodesRunning, templateNodeCount } from './template-progress';

function instance(name: string, state: InstanceInfo['state']): InstanceInfo {
  return { name, hostname: name, ip: '', state, ports: [], terminals: [] };
}

describe('template progress', () => {
  it('counts the nodes a swarm template makes from its name', () => {
    expect(templateNodeCount('swarm-3m2w')).toBe(5);
    expect(templateNodeCount('swarm-1m1w')).toBe(2);
    expect(templateNodeCount('kubernetes')).toBeUndefined();
  });

  it('counts running nodes out of the template, before the server has listed them all', () => {
    const assembling = { name: 'swarm-3m2w', state: 'assembling' as const, message: 'Starting the nodes' };
    expect(nodesRunning(assembling, [instance('node1', 'running')])).toBe('1 of 5 nodes running');
    expect(nodesRunning(assembling, [instance('node1', 'running'), instance('node2', 'starting'), instance('node3', 'running')])).toBe(
      '2 of 5 nodes running',
    );
  });

  it('falls back to the listed instances for a template it does not know', () => {
    const other = { name: 'other', state: 'assembling' as const, message: '' };
    expect(nodesRunning(other, [instance('node1', 'starting')])).toBe('0 of 1 node running');
  });
});
