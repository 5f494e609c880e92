import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LABEL, resourceNames } from '../sandbox/labels';
import { managedResources } from './managed-resources';

const KEY = 'a'.repeat(32);

describe('managedResources', () => {
  it('reads session, owner, instance and times from the labels, and a container\'s address on its session network', () => {
    const labels = {
      [LABEL.session]: KEY,
      [LABEL.owner]: 'class-a',
      [LABEL.instance]: 'node1',
      [LABEL.role]: 'sandbox',
      [LABEL.expiresAt]: '2026-12-03T12:00:00.000Z',
      [LABEL.createdAt]: 'not a date',
    };
    const container = {
      Id: 'c1',
      Names: ['/playground-pool-x'],
      State: 'running',
      Labels: labels,
      NetworkSettings: { Networks: { [resourceNames.network(KEY)]: { IPAddress: '10.89.0.2' } } },
    } as unknown as Docker.ContainerInfo;
    const network = { Id: 'n1', Labels: { [LABEL.session]: KEY } } as unknown as Docker.NetworkInspectInfo;
    const [sandbox, net, volume] = managedResources([container], [network], [{ Name: 'v1', Labels: null }]);
    expect(sandbox).toEqual({
      kind: 'container',
      id: 'c1',
      role: 'sandbox',
      sessionKey: KEY,
      owner: 'class-a',
      instance: 'node1',
      expiresAt: new Date('2026-12-03T12:00:00.000Z'),
      createdAt: undefined,
      running: true,
      ip: '10.89.0.2',
      pooled: true,
    });
    // Older resources carry no owner: the default playground's.
    expect(net).toMatchObject({ kind: 'network', sessionKey: KEY, owner: 'default', running: false, ip: '' });
    expect(volume).toMatchObject({ kind: 'volume', id: 'v1', sessionKey: undefined });
  });
});
