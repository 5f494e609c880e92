import { describe, expect, it } from 'vitest';
import { clientKey, ipv6Prefix64, parseTrustedProxies, trustedProxyList } from './client-key';

const none = trustedProxyList([]);

describe('clientKey', () => {
  it('is the IPv4 address of the peer', () => {
    expect(clientKey('203.0.113.7', undefined, none)).toBe('203.0.113.7');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(clientKey('::ffff:203.0.113.7', undefined, none)).toBe('203.0.113.7');
    expect(clientKey('::FFFF:127.0.0.1', undefined, none)).toBe('127.0.0.1');
  });

  it('makes every address of one IPv6 /64 one client', () => {
    const a = clientKey('2001:db8:1:2::1', undefined, none);
    const b = clientKey('2001:0db8:0001:0002:ffff:eeee:dddd:cccc', undefined, none);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(b).toBe(a);
    expect(clientKey('2001:db8:1:3::1', undefined, none)).not.toBe(a);
    expect(clientKey('::1', undefined, none)).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0', undefined, none)).toBe('fe80:0:0:0::/64');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientKey('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7');
    expect(clientKey('203.0.113.7', '198.51.100.1', trustedProxyList(['10.0.0.0/8']))).toBe('203.0.113.7');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    const trusted = trustedProxyList(['10.0.0.0/8', '2001:db8:ffff::/48']);
    // The client forged a first entry; the trusted proxy appended what it saw.
    expect(clientKey('10.0.0.2', '1.1.1.1, 198.51.100.9', trusted)).toBe('198.51.100.9');
    // Two trusted proxies in a row.
    expect(clientKey('10.0.0.2', ['1.1.1.1, 198.51.100.9', '10.0.0.3'], trusted)).toBe('198.51.100.9');
    expect(clientKey('2001:db8:ffff::1', '2001:db8:5:6::7', trusted)).toBe('2001:db8:5:6::/64');
    expect(clientKey('::ffff:10.0.0.2', '::ffff:198.51.100.9', trusted)).toBe('198.51.100.9');
  });

  it('falls back sensibly when the header is missing, all trusted, or garbage', () => {
    const trusted = trustedProxyList(['10.0.0.0/8']);
    expect(clientKey('10.0.0.2', undefined, trusted)).toBe('10.0.0.2');
    expect(clientKey('10.0.0.2', '10.0.0.5, 10.0.0.4', trusted)).toBe('10.0.0.5');
    expect(clientKey('10.0.0.2', '198.51.100.9, not-an-ip', trusted)).toBe('10.0.0.2');
    expect(clientKey(undefined, '1.2.3.4', trusted)).toBe('unknown');
  });
});

describe('TRUSTED_PROXIES', () => {
  it('accepts addresses and CIDRs of both families', () => {
    expect(parseTrustedProxies(' 10.0.0.1, 192.168.0.0/16 ,::1,fd00::/8,')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
  });

  it('refuses what is not an address or a CIDR', () => {
    expect(() => parseTrustedProxies('proxy.example')).toThrow(/"proxy.example" is not an IP address/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/invalid prefix/);
    expect(() => parseTrustedProxies('10.0.0.0/8/1')).toThrow(/not an IP address/);
  });
});

describe('ipv6Prefix64', () => {
  it('expands compressed forms', () => {
    expect(ipv6Prefix64('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(ipv6Prefix64('::')).toBe('0:0:0:0::/64');
    expect(ipv6Prefix64('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
