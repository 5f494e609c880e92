import { describe, expect, it } from 'vitest';
import { cacheDefinitionHash, parseCacheUpstream, registryCacheNames } from './registry-cache';

describe('parseCacheUpstream', () => {
  it('keeps scheme, host and port, without a trailing slash', () => {
    expect(parseCacheUpstream('https://registry-1.docker.io')).toBe('https://registry-1.docker.io');
    expect(parseCacheUpstream('http://172.17.0.9:5000/')).toBe('http://172.17.0.9:5000');
    expect(parseCacheUpstream('off')).toBeUndefined();
  });

  it('refuses what a registry base URL cannot be', () => {
    expect(() => parseCacheUpstream('')).toThrow(/expected off or a registry URL/);
    expect(() => parseCacheUpstream('registry-1.docker.io')).toThrow(/expected off or a registry URL|http/);
    expect(() => parseCacheUpstream('file:///etc/passwd')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseCacheUpstream('https://user:pw@hub.example')).toThrow(/credentials/);
    expect(() => parseCacheUpstream('https://hub.example/library')).toThrow(/no path/);
    expect(() => parseCacheUpstream('https://hub.example/?x=1')).toThrow(/no path/);
  });
});

describe('registryCacheNames', () => {
  it('gives each upstream its own container and volume, the same on every run', () => {
    const hub = registryCacheNames('https://registry-1.docker.io');
    const local = registryCacheNames('http://172.17.0.9:5000');
    expect(hub.container).toMatch(/^playground-registry-cache-[0-9a-f]{12}$/);
    expect(hub.volume).toBe(`${hub.container}-data`);
    expect(local.container).not.toBe(hub.container);
    expect(registryCacheNames('https://registry-1.docker.io')).toEqual(hub);
  });
});

describe('cacheDefinitionHash', () => {
  it('changes with the image and the credentials, so a changed cache is recreated', () => {
    const base = cacheDefinitionHash('playground-registry:aaa', { upstream: 'https://registry-1.docker.io' });
    expect(cacheDefinitionHash('playground-registry:aaa', { upstream: 'https://registry-1.docker.io' })).toBe(base);
    expect(cacheDefinitionHash('playground-registry:bbb', { upstream: 'https://registry-1.docker.io' })).not.toBe(base);
    expect(
      cacheDefinitionHash('playground-registry:aaa', { upstream: 'https://registry-1.docker.io', username: 'u', password: 'p' }),
    ).not.toBe(base);
  });

  it('never holds the password itself', () => {
    expect(cacheDefinitionHash('img', { upstream: 'https://hub.example', username: 'u', password: 'hunter2' })).not.toContain('hunter2');
  });
});
