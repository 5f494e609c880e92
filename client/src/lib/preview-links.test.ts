import { describe, expect, it } from 'vitest';
import { hostPreviewUrl, parsePortInput, pathPreviewUrl, previewablePorts } from './preview-links';

const key = '0123456789abcdef0123456789abcdef';

describe('preview links', () => {
  it('builds the path form on this origin', () => {
    expect(pathPreviewUrl(key, 'node2', 8080)).toBe(`/p/${key}/node2/8080/`);
  });

  it('builds the host form under localhost on this machine, under the page host elsewhere', () => {
    expect(hostPreviewUrl({ protocol: 'http:', hostname: '127.0.0.1', port: '8080' }, key, 'node1', 80)).toBe(`http://node1-80-${key}.localhost:8080/`);
    expect(hostPreviewUrl({ protocol: 'http:', hostname: 'localhost', port: '8080' }, key, 'node1', 80)).toBe(`http://node1-80-${key}.localhost:8080/`);
    expect(hostPreviewUrl({ protocol: 'https:', hostname: 'play.example.org', port: '' }, key, 'node3', 3000)).toBe(`https://node3-3000-${key}.play.example.org/`);
  });

  it('accepts only real port numbers', () => {
    expect(parsePortInput(' 8080 ')).toBe(8080);
    for (const bad of ['0', '65536', 'abc', '', '80.5', '-1']) expect(parsePortInput(bad)).toBeNull();
  });

  it("offers no previews of Swarm's control ports, and every other port", () => {
    expect(previewablePorts([80, 2377, 4789, 7946, 8080])).toEqual([80, 8080]);
    expect(previewablePorts([2377, 7946])).toEqual([]);
    expect(previewablePorts([2376, 2378, 7945, 7947])).toEqual([2376, 2378, 7945, 7947]);
  });
});
