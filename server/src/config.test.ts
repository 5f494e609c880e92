import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.sessionTtlMs).toBe(4 * 3_600_000);
    expect(config.dockerHost).toBeUndefined();
    expect(config.staticDir).toMatch(/dist[/\\]client$/);
  });

  it('reads PORT, HOST and SESSION_TTL', () => {
    const config = loadConfig({ PORT: '9000', HOST: '0.0.0.0', SESSION_TTL: '30s' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', sessionTtlMs: 30_000 });
  });

  it('reads MAX_SESSIONS_PER_CLIENT (default 3), TRUSTED_PROXIES and ALLOWED_HOSTS, naming a bad one', () => {
    expect(loadConfig({})).toMatchObject({ maxSessionsPerClient: 3, trustedProxies: [], allowedHosts: [] });
    expect(loadConfig({ MAX_SESSIONS_PER_CLIENT: '0', TRUSTED_PROXIES: '10.0.0.0/8, ::1', ALLOWED_HOSTS: 'Play.Example.com,192.168.1.20' })).toMatchObject({
      maxSessionsPerClient: 0,
      trustedProxies: ['10.0.0.0/8', '::1'],
      allowedHosts: ['play.example.com', '192.168.1.20'],
    });
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.lan' })).toThrow(/TRUSTED_PROXIES=proxy.lan is invalid/);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://play.example.com' })).toThrow(/ALLOWED_HOSTS=.* is invalid/);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT=eighty/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ SESSION_TTL: 'soon' })).toThrow(/SESSION_TTL/);
    expect(() => loadConfig({ SESSION_TTL: '1s' })).toThrow(/SESSION_TTL=1s is too short/);
    expect(() => loadConfig({ DOCKER_HOST: 'ssh://box' })).toThrow(/DOCKER_HOST/);
  });

  it('accepts unix and tcp DOCKER_HOST', () => {
    expect(loadConfig({ DOCKER_HOST: 'unix:///run/docker.sock' }).dockerHost).toBe('unix:///run/docker.sock');
    expect(loadConfig({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }).dockerHost).toBe('tcp://127.0.0.1:2375');
  });

  it('limits each sandbox: 2g of memory, 1 CPU, 1024 processes by default', () => {
    expect(loadConfig({}).sandboxLimits).toEqual({ memoryBytes: 2 * 1024 ** 3, cpus: 1, pids: 1024 });
  });

  it('reads SANDBOX_MEMORY, SANDBOX_CPUS and SANDBOX_PIDS; 0 means no limit', () => {
    expect(loadConfig({ SANDBOX_MEMORY: '512m', SANDBOX_CPUS: '0.5', SANDBOX_PIDS: '256' }).sandboxLimits).toEqual({
      memoryBytes: 512 * 1024 ** 2,
      cpus: 0.5,
      pids: 256,
    });
    expect(loadConfig({ SANDBOX_MEMORY: '0', SANDBOX_CPUS: '0', SANDBOX_PIDS: '0' }).sandboxLimits).toEqual({
      memoryBytes: 0,
      cpus: 0,
      pids: 0,
    });
  });

  it('names the limit at fault', () => {
    expect(() => loadConfig({ SANDBOX_MEMORY: 'lots' })).toThrow(/SANDBOX_MEMORY=lots is invalid/);
    expect(() => loadConfig({ SANDBOX_MEMORY: '16m' })).toThrow(/SANDBOX_MEMORY=16m .*at least 64m/);
    expect(() => loadConfig({ SANDBOX_CPUS: 'all' })).toThrow(/SANDBOX_CPUS=all is invalid/);
    expect(() => loadConfig({ SANDBOX_PIDS: '10' })).toThrow(/SANDBOX_PIDS=10 .*at least 128/);
  });

  it('caches Docker Hub by default; REGISTRY_CACHE names another upstream or turns it off', () => {
    expect(loadConfig({}).registryCache).toEqual({ upstream: 'https://registry-1.docker.io' });
    expect(loadConfig({ REGISTRY_CACHE: 'off' }).registryCache).toBeUndefined();
    expect(loadConfig({ REGISTRY_CACHE: 'http://127.0.0.1:5999/' }).registryCache).toEqual({ upstream: 'http://127.0.0.1:5999' });
    expect(
      loadConfig({ REGISTRY_CACHE_USERNAME: 'trainer', REGISTRY_CACHE_PASSWORD: 's3cret' }).registryCache,
    ).toEqual({ upstream: 'https://registry-1.docker.io', username: 'trainer', password: 's3cret' });
  });

  it('names the cache setting at fault', () => {
    expect(() => loadConfig({ REGISTRY_CACHE: 'docker hub' })).toThrow(/REGISTRY_CACHE=docker hub is invalid: expected off or a registry URL/);
    expect(() => loadConfig({ REGISTRY_CACHE: 'ftp://mirror.example' })).toThrow(/REGISTRY_CACHE=.*http:\/\/ or https:\/\//);
    expect(() => loadConfig({ REGISTRY_CACHE: 'https://u:p@hub.example' })).toThrow(/REGISTRY_CACHE_USERNAME/);
    expect(() => loadConfig({ REGISTRY_CACHE: 'https://hub.example/v2/' })).toThrow(/no path/);
    expect(() => loadConfig({ REGISTRY_CACHE_USERNAME: 'trainer' })).toThrow(/set both or neither/);
  });
});
