import { describe, expect, it } from 'vitest';
import { nextTab, terminalKey, terminalUrl, visibleTabs } from './terminal-url';

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

describe('terminal tabs', () => {
  it('numbers the URL and the test handle of tabs after the first', () => {
    expect(terminalUrl({ protocol: 'http:', host: 'h' }, 's', 'node1', 2)).toBe('ws://h/api/sessions/s/instances/node1/terminal?n=2');
    expect(terminalKey('node1', 1)).toBe('node1');
    expect(terminalKey('node1', 3)).toBe('node1#3');
  });

  it('shows the server’s, the local and the active tabs once each, and finds the next free number', () => {
    expect(visibleTabs([1, 3], [2, 3], 1)).toEqual([1, 2, 3]);
    expect(visibleTabs([], [], 1)).toEqual([1]);
    expect(nextTab([1, 2, 4], 5)).toBe(3);
    expect(nextTab([1, 2, 3, 4, 5], 5)).toBeUndefined();
  });
});
