import { describe, expect, it } from 'vitest';
import { apiPaths, websocketUrl } from './api-paths';

describe('apiPaths', () => {
  it('encodes ids, names and paths from outside', () => {
    expect(apiPaths.instance('a/b', 'n 1')).toBe('/api/sessions/a%2Fb/instances/n%201');
    expect(apiPaths.file('s', 'node1', '/root/a b&c')).toBe('/api/sessions/s/instances/node1/files?path=%2Froot%2Fa%20b%26c');
    expect(apiPaths.ticket('../x')).toBe('/api/waiting-room/..%2Fx');
  });

  it('names the first terminal without a query and the others by number', () => {
    expect(apiPaths.terminal('s', 'node1')).toBe('/api/sessions/s/instances/node1/terminal');
    expect(apiPaths.terminal('s', 'node1', 3)).toBe('/api/sessions/s/instances/node1/terminal?n=3');
    expect(apiPaths.terminalNumber('s', 'node2', 3)).toBe('/api/sessions/s/instances/node2/terminals/3');
  });

  it('turns an HTTP origin or a page location into the socket URL', () => {
    expect(websocketUrl('http://127.0.0.1:8080', '/api/x')).toBe('ws://127.0.0.1:8080/api/x');
    expect(websocketUrl('https://play.example/', '/api/x')).toBe('wss://play.example/api/x');
    expect(websocketUrl({ protocol: 'https:', host: 'play.example' }, '/api/x')).toBe('wss://play.example/api/x');
    expect(websocketUrl({ protocol: 'http:', host: 'h:1' }, '/api/x')).toBe('ws://h:1/api/x');
  });
});
