import { describe, expect, it } from 'vitest';
import { loadFrontConfig, parseNodes } from './front-config';

describe('front configuration', () => {
  it('reads the nodes as origins', () => {
    expect(parseNodes(' http://10.0.0.2:8080/ , http://node-b:8080')).toEqual(['http://10.0.0.2:8080', 'http://node-b:8080']);
  });

  it('refuses a missing list and entries that are not a node address, naming them', () => {
    expect(() => loadFrontConfig({})).toThrow(/NODES is required/);
    expect(() => parseNodes('10.0.0.2:8080')).toThrow(/"10.0.0.2:8080"/);
    expect(() => parseNodes('https://a:1')).toThrow(/http:\/\/address:port/);
    expect(() => parseNodes('http://a:1/api')).toThrow(/nothing after/);
  });

  it('reads where the swarm\'s members are asked: nodes on managers, or the engine when unset', () => {
    expect(loadFrontConfig({ NODES: 'swarm' }).swarmMembersFrom).toEqual([]);
    expect(loadFrontConfig({ NODES: 'swarm', SWARM_MEMBERS_FROM: 'http://10.0.0.2:8080,http://10.0.0.3:8080' }).swarmMembersFrom).toEqual(['http://10.0.0.2:8080', 'http://10.0.0.3:8080']);
    expect(() => loadFrontConfig({ NODES: 'swarm', SWARM_MEMBERS_FROM: '10.0.0.2' })).toThrow(/SWARM_MEMBERS_FROM entry "10.0.0.2"/);
  });
});
