import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { changesState, isAllowedOrigin } from './origin-check';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('isAllowedOrigin', () => {
  it('lets the playground’s own pages through', () => {
    expect(isAllowedOrigin(request({ origin: 'http://localhost:8080', host: 'localhost:8080' }), [])).toBe(true);
    expect(isAllowedOrigin(request({ origin: 'https://Play.Example.org', host: 'play.example.org' }), [])).toBe(true);
  });

  it('lets clients without an Origin (curl, scripts) through', () => {
    expect(isAllowedOrigin(request({ host: 'localhost:8080' }), [])).toBe(true);
  });

  it('refuses other sites, other ports, previews and opaque origins', () => {
    const host = 'localhost:8080';
    expect(isAllowedOrigin(request({ origin: 'http://evil.example', host }), [])).toBe(false);
    expect(isAllowedOrigin(request({ origin: 'http://localhost:9090', host }), [])).toBe(false);
    expect(isAllowedOrigin(request({ origin: 'http://node1-80-abc.localhost:8080', host }), [])).toBe(false);
    expect(isAllowedOrigin(request({ origin: 'null', host }), [])).toBe(false);
    expect(isAllowedOrigin(request({ origin: 'file://', host }), [])).toBe(false);
    expect(isAllowedOrigin(request({ origin: 'http://localhost:8080' }), [])).toBe(false);
  });

  it('accepts configured extra origins', () => {
    expect(isAllowedOrigin(request({ origin: 'http://localhost:5173', host: 'localhost:8080' }), ['http://localhost:5173'])).toBe(true);
  });
});

describe('changesState', () => {
  it('is true for writes only', () => {
    expect(['POST', 'PUT', 'DELETE', 'PATCH'].every(changesState)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(changesState)).toBe(false);
  });
});
