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
});
