import { describe, expect, it } from 'vitest';
import { terminalUrl } from './terminal-url';

describe('terminalUrl', () => {
  it('uses ws: on http pages and wss: on https pages, on the same host', () => {
    expect(terminalUrl({ protocol: 'http:', host: '127.0.0.1:18080' }, 'abc', 'node1')).toBe(
      'ws://127.0.0.1:18080/api/sessions/abc/instances/node1/terminal',
    );
    expect(terminalUrl({ protocol: 'https:', host: 'play.example' }, 'a-b_c', 'node2')).toBe(
      'wss://play.example/api/sessions/a-b_c/instances/node2/terminal',
    );
  });

  it('escapes path segments', () => {
    expect(terminalUrl({ protocol: 'http:', host: 'h' }, 'a/b', 'n 1')).toBe(
      'ws://h/api/sessions/a%2Fb/instances/n%201/terminal',
    );
  });
});
