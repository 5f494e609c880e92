import { describe, expect, it } from 'vitest';
import { hostAllowList, hostOf, isAllowedHost, parseAllowedHosts, type HostAllowListSources } from './host-allow-list';

function list(overrides: Partial<HostAllowListSources> = {}) {
  return hostAllowList({ listenHost: '127.0.0.1', allowedOrigins: [], allowedHosts: [], publicHost: 'localhost', ...overrides });
}

describe('isAllowedHost', () => {
  it('answers the loopback names at any port', () => {
    const allowed = list();
    for (const host of ['localhost', 'localhost:8080', '127.0.0.1:18080', '[::1]:8080', '[::1]', 'LOCALHOST.', 'localhost:']) {
      expect(isAllowedHost(host, allowed), host).toBe(true);
    }
  });

  it('refuses any other name: a rebound domain, a missing or empty Host', () => {
    const allowed = list();
    for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1.nip.io', 'localhost.evil.example', '10.0.0.5', '']) {
      expect(isAllowedHost(host, allowed), host).toBe(false);
    }
    expect(isAllowedHost(undefined, allowed)).toBe(false);
  });

  it('answers preview hosts one label under PUBLIC_HOST', () => {
    const allowed = list({ publicHost: 'previews.example.net' });
    expect(isAllowedHost(`node1-8080-${'a'.repeat(32)}.previews.example.net`, allowed)).toBe(true);
    expect(isAllowedHost(`node1-8080-${'a'.repeat(32)}.localhost:8080`, list())).toBe(true);
    expect(isAllowedHost('a.b.previews.example.net', allowed)).toBe(false);
    expect(isAllowedHost('previews.example.net.evil.example', allowed)).toBe(false);
    expect(isAllowedHost('xprevious.example.net', allowed)).toBe(false);
  });

  it('adds HOST, the hosts of ALLOWED_ORIGINS and ALLOWED_HOSTS', () => {
    const allowed = list({
      listenHost: '192.168.1.20',
      allowedOrigins: ['https://front.example.org', 'http://[fd00::1]:3000'],
      allowedHosts: ['play.example.com'],
    });
    for (const host of ['192.168.1.20:8080', 'front.example.org', '[fd00::1]', 'play.example.com:443', 'localhost']) {
      expect(isAllowedHost(host, allowed), host).toBe(true);
    }
    expect(isAllowedHost('example.com', allowed)).toBe(false);
  });

  it('with a wildcard HOST, answers the machine’s own addresses', () => {
    const allowed = list({ listenHost: '0.0.0.0', interfaceAddresses: ['10.1.2.3', 'fe80::1%eth0'] });
    expect(isAllowedHost('10.1.2.3:8080', allowed)).toBe(true);
    expect(isAllowedHost('[fe80::1]:8080', allowed)).toBe(true);
    expect(isAllowedHost('0.0.0.0:8080', allowed)).toBe(true); // what the log prints; an address, never a rebound name
    expect(isAllowedHost('10.1.2.4', allowed)).toBe(false);
  });
});

describe('hostOf', () => {
  it('takes the port, brackets and trailing dot off', () => {
    expect(hostOf('Example.COM.:80')).toBe('example.com');
    expect(hostOf('[2001:DB8::1]:443')).toBe('2001:db8::1');
  });
});

describe('ALLOWED_HOSTS', () => {
  it('takes names and addresses', () => {
    expect(parseAllowedHosts(' Play.Example.com ,192.168.1.20,[fd00::1],')).toEqual(['play.example.com', '192.168.1.20', 'fd00::1']);
  });

  it('refuses URLs, ports and paths with a sentence', () => {
    expect(() => parseAllowedHosts('https://play.example.com')).toThrow(/without scheme, port or path/);
    expect(() => parseAllowedHosts('play.example.com:8080')).toThrow(/not a host name/);
    expect(() => parseAllowedHosts('play.example.com/x')).toThrow(/not a host name/);
  });
});
