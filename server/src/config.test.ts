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
});
