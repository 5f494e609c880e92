import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../protocol/api-types';
import { placementOrder, type KnownNode } from './placement';

function node(name: string, status: Partial<NodeStatus> | undefined): KnownNode {
  return {
    url: `http://${name}:8080`,
    accepting: true,
    status: status && { node: name, status: 'ok', sessions: 0, instances: 0, freeSessions: 10, freeInstances: 10, sessionTtlSeconds: 3600, ...status },
  };
}

describe('placement', () => {
  it('puts the node with the most free instances first', () => {
    const order = placementOrder([node('a', { freeInstances: 3 }), node('b', { freeInstances: 9 }), node('c', { freeInstances: 5 })]);
    expect(order.map((n) => n.status!.node)).toEqual(['b', 'c', 'a']);
  });

  it('breaks ties by fewer sessions, then by name, so every front decides alike', () => {
    const order = placementOrder([node('c', { sessions: 2 }), node('b', { sessions: 1 }), node('a', { sessions: 2 })]);
    expect(order.map((n) => n.status!.node)).toEqual(['b', 'a', 'c']);
  });

  it('leaves out nodes that are unreachable, not serving, full, or drained', () => {
    const order = placementOrder([
      node('gone', undefined),
      node('no-engine', { status: 'unavailable', reason: 'engine down' }),
      node('no-sessions', { freeSessions: 0 }),
      node('no-instances', { freeInstances: 0 }),
      { ...node('drained', {}), accepting: false },
      node('ok', {}),
    ]);
    expect(order.map((n) => n.status!.node)).toEqual(['ok']);
  });
});
