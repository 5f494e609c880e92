import { describe, expect, it } from 'vitest';
import type { SwarmMember } from '../docker/swarm-members';
import { fixedNodes, nodesFromSwarm, swarmMembersFromNodes } from './node-source';

function member(hostname: string, address: string, extra: Partial<SwarmMember> = {}): SwarmMember {
  return { hostname, address, availability: 'active', state: 'ready', labels: {}, ...extra };
}

describe('node sources', () => {
  it('a fixed list accepts every node', async () => {
    expect(await fixedNodes(['http://a:8080/', 'http://b:8080'])()).toEqual([
      { url: 'http://a:8080', accepting: true },
      { url: 'http://b:8080', accepting: true },
    ]);
  });

  it('takes the swarm\'s members at their address and port; drained ones keep their sessions but get no new ones', () => {
    const nodes = nodesFromSwarm(
      [
        member('c', '10.98.0.4', { availability: 'drain' }),
        member('a', '10.98.0.2'),
        member('b', '10.98.0.3', { labels: { 'dev.playground.port': '8081' } }),
        member('d', '10.98.0.5', { state: 'down' }),
        member('e', ''),
      ],
      8080,
    );
    expect(nodes).toEqual([
      { url: 'http://10.98.0.2:8080', accepting: true },
      { url: 'http://10.98.0.3:8081', accepting: true },
      { url: 'http://10.98.0.4:8080', accepting: false, note: 'drain in Swarm' },
    ]);
  });

  it('reads the members through nodes on managers, in order, the first answer counting; all silent is an error naming each', async () => {
    const asked: string[] = [];
    const source = swarmMembersFromNodes(['http://10.0.0.2:8080', 'http://10.0.0.3:8080'], 8080, async (url) => {
      asked.push(url);
      if (url.includes('10.0.0.2')) throw new Error('409 not a manager');
      return [member('b', '10.0.0.4'), member('a', '10.0.0.3', { availability: 'drain' })];
    });
    expect(await source()).toEqual([
      { url: 'http://10.0.0.3:8080', accepting: false, note: 'drain in Swarm' },
      { url: 'http://10.0.0.4:8080', accepting: true },
    ]);
    expect(asked).toEqual(['http://10.0.0.2:8080', 'http://10.0.0.3:8080']);

    const silent = swarmMembersFromNodes(['http://10.0.0.2:8080'], 8080, async () => {
      throw new Error('connect ECONNREFUSED');
    });
    await expect(silent()).rejects.toThrow(/http:\/\/10\.0\.0\.2:8080: connect ECONNREFUSED/);
  });
});
