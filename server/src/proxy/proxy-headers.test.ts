import { describe, expect, it } from 'vitest';
import { PATH_FORM_CSP, requestHeadersFor, responseHeadersFor } from './proxy-headers';

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
      { clientAddress: '127.0.0.1', prefix: '/p/k/node1/80', upgrade: false },
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
    const headers = requestHeadersFor({ connection: 'Upgrade', upgrade: 'websocket' }, { clientAddress: undefined, prefix: '', upgrade: true });
    expect(headers).toMatchObject({ connection: 'Upgrade', upgrade: 'websocket' });
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
