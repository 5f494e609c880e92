import { describe, expect, it } from 'vitest';
import { PATH_FORM_CSP, requestHeadersFor, responseHeadersFor, upgradeResponseHead } from './proxy-headers';

describe('requestHeadersFor', () => {
  it('drops hop-by-hop headers (and those Connection names) and sets X-Forwarded-* from what the proxy saw', () => {
    const headers = requestHeadersFor(
      {
        host: 'localhost:8080',
        connection: 'keep-alive, x-secret',
        'x-secret': 'drop me',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.example',
        accept: 'text/html',
      },
      { form: 'path', clientAddress: '127.0.0.1', prefix: '/p/k/node1/80', upgrade: false },
    );
    expect(headers).toEqual({
      host: 'localhost:8080',
      accept: 'text/html',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-host': 'localhost:8080',
      'x-forwarded-proto': 'http',
      'x-forwarded-prefix': '/p/k/node1/80',
    });
  });

  it('keeps Connection and Upgrade for a WebSocket', () => {
    const headers = requestHeadersFor({ connection: 'Upgrade', upgrade: 'websocket' }, { form: 'host', clientAddress: undefined, prefix: '', upgrade: true });
    expect(headers).toMatchObject({ connection: 'Upgrade', upgrade: 'websocket' });
  });
});

describe('cookies of the playground', () => {
  const request = { host: 'localhost', cookie: 'playground=secret', accept: '*/*' };

  it('never reach a path-form preview (it shares the playground’s origin), upgrades included', () => {
    for (const upgrade of [false, true]) {
      const headers = requestHeadersFor(request, { form: 'path', clientAddress: '127.0.0.1', prefix: '/p/k/node1/80', upgrade });
      expect(headers.cookie).toBeUndefined();
      expect(headers.accept).toBe('*/*');
    }
  });

  it('reach a host-form preview, whose cookies are its own', () => {
    const headers = requestHeadersFor(request, { form: 'host', clientAddress: '127.0.0.1', prefix: '', upgrade: false });
    expect(headers.cookie).toBe('playground=secret');
  });

  it('cannot be set or cleared by a path-form preview', () => {
    const out = responseHeadersFor({ 'set-cookie': ['a=1', 'b=2'], 'clear-site-data': '"cookies"', 'x-app': '1' }, 'path', '/p/k/node1/80');
    expect(out['set-cookie']).toBeUndefined();
    expect(out['clear-site-data']).toBeUndefined();
    expect(out['x-app']).toBe('1');
  });

  it('a host-form preview sets its own cookies but never clears site data', () => {
    const out = responseHeadersFor({ 'set-cookie': ['a=1'], 'clear-site-data': '"*"' }, 'host', '');
    expect(out['set-cookie']).toEqual(['a=1']);
    expect(out['clear-site-data']).toBeUndefined();
  });

  it('are filtered out of an upgrade’s answer too', () => {
    const head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSet-Cookie: a=1\r\nset-cookie:b=2\r\nClear-Site-Data: "cookies"\r\nConnection: Upgrade';
    expect(upgradeResponseHead(head, 'path')).toBe('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade');
    expect(upgradeResponseHead(head, 'host')).toBe('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSet-Cookie: a=1\r\nset-cookie:b=2\r\nConnection: Upgrade');
  });
});

describe('responseHeadersFor', () => {
  it('sandboxes path-form previews beside their own CSP and keeps their redirects under the prefix', () => {
    const out = responseHeadersFor({ 'content-security-policy': "default-src 'self'", location: '/login', connection: 'close' }, 'path', '/p/k/node1/80');
    expect(out['content-security-policy']).toEqual(["default-src 'self'", PATH_FORM_CSP]);
    expect(out.location).toBe('/p/k/node1/80/login');
    expect(out.connection).toBeUndefined();
    expect(PATH_FORM_CSP).toMatch(/^sandbox /);
    expect(PATH_FORM_CSP).not.toMatch(/allow-same-origin/);
  });

  it('leaves host-form previews (their own origin) as the app sent them', () => {
    const out = responseHeadersFor({ location: '/login', 'x-app': '1' }, 'host', '');
    expect(out).toEqual({ location: '/login', 'x-app': '1' });
  });
});
