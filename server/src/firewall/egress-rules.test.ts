import { describe, expect, it } from 'vitest';
import { checkedSubnet, forwardRules, inputRules, interfaceNames, ipv6Rules, orphanedRules, parseEgressAllow, parseEgressPolicy, policyChainName, resolversFrom, sessionJumps } from './egress-rules';

const flat = (rules: string[][]) => rules.map((rule) => rule.join(' '));

describe('forwardRules', () => {
  it('internet: answers flow, resolvers and extra destinations pass, non-public ranges drop, the rest goes on', () => {
    const rules = flat(forwardRules({ policy: 'internet', resolvers: ['10.255.255.53'], allow: ['192.168.1.10/32'] }));
    expect(rules[0]).toBe('-o pg+ -j DROP');
    expect(rules[1]).toBe('-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN');
    expect(rules).toContain('-d 10.255.255.53/32 -p udp --dport 53 -j RETURN');
    expect(rules).toContain('-d 10.255.255.53/32 -p tcp --dport 53 -j RETURN');
    expect(rules.indexOf('-d 192.168.1.10/32 -j RETURN')).toBeLessThan(rules.indexOf('-d 192.168.0.0/16 -j DROP'));
    for (const range of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10', '127.0.0.0/8']) {
      expect(rules).toContain(`-d ${range} -j DROP`);
    }
    expect(rules.at(-1)).toBe('-j RETURN');
  });

  it('none: everything outside the session drops after the exceptions', () => {
    const rules = flat(forwardRules({ policy: 'none', resolvers: [], allow: [] }));
    expect(rules).toEqual(['-o pg+ -j DROP', '-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN', '-j DROP']);
  });
});

describe('inputRules and sessionJumps', () => {
  it('let only answers reach the host', () => {
    expect(flat(inputRules())).toEqual(['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-j DROP']);
  });

  it('hook a session’s packets by where they enter and by their source, never its traffic inside the session', () => {
    const chains = { forward: 'PLAYGROUND-FORWARD', input: 'PLAYGROUND-INPUT' };
    expect(sessionJumps('pgabc', '172.20.0.0/16', chains).map(({ table, chain, rule }) => `${table} ${chain} ${rule.join(' ')}`)).toEqual([
      'mangle FORWARD -i pgabc ! -o pgabc -j PLAYGROUND-FORWARD',
      'mangle FORWARD -s 172.20.0.0/16 ! -i pgabc -m comment --comment pgabc -j PLAYGROUND-FORWARD',
      'filter INPUT -i pgabc -j PLAYGROUND-INPUT',
      'filter INPUT -s 172.20.0.0/16 -m comment --comment pgabc -j PLAYGROUND-INPUT',
    ]);
  });

  it('name each policy chain after its rules: the same rules, the same chain; others, another', () => {
    const internet = forwardRules({ policy: 'internet', allow: [], resolvers: ['10.0.0.53'] });
    const none = forwardRules({ policy: 'none', allow: [], resolvers: ['10.0.0.53'] });
    expect(policyChainName('FWD', internet)).toMatch(/^PLAYGROUND-FWD-[0-9a-f]{8}$/);
    expect(policyChainName('FWD', internet).length).toBeLessThanOrEqual(28);
    expect(policyChainName('FWD', internet)).toBe(policyChainName('FWD', forwardRules({ policy: 'internet', allow: [], resolvers: ['10.0.0.53'] })));
    expect(policyChainName('FWD', none)).not.toBe(policyChainName('FWD', internet));
  });

  it('drop IPv6 into, out of and from a session bridge', () => {
    expect(ipv6Rules('pgabc').map(({ chain, rule }) => `${chain} ${rule.join(' ')}`)).toEqual([
      'INPUT -i pgabc -j DROP',
      'FORWARD -i pgabc -j DROP',
      'FORWARD -o pgabc -j DROP',
    ]);
  });
});

describe('parsing', () => {
  it('reads IPv4 nameservers from resolv.conf', () => {
    expect(resolversFrom('# comment\nnameserver 10.255.255.53\nnameserver ::1\nsearch x\nnameserver 1.1.1.1 \n')).toEqual([
      '10.255.255.53',
      '1.1.1.1',
    ]);
  });

  it('validates the policy and the allow list', () => {
    expect(parseEgressPolicy('none')).toBe('none');
    expect(() => parseEgressPolicy('all')).toThrow(/internet, none or off/);
    expect(parseEgressAllow(' 10.1.2.3, 192.168.0.0/24 ')).toEqual(['10.1.2.3', '192.168.0.0/24']);
    expect(parseEgressAllow('')).toEqual([]);
    expect(() => parseEgressAllow('10.0.0.0/33')).toThrow(/not an IPv4/);
    expect(() => parseEgressAllow('300.1.1.1')).toThrow(/not an IPv4/);
    expect(() => parseEgressAllow('-j ACCEPT')).toThrow(/not an IPv4/);
    expect(checkedSubnet('172.20.0.0/16')).toBe('172.20.0.0/16');
    for (const bad of ['', '172.20.0.0', '172.20.0.0/40', '-j ACCEPT', 'fd00::/64']) expect(() => checkedSubnet(bad)).toThrow(/not an IPv4 subnet/);
  });
});

describe('orphanedRules', () => {
  const lines = [
    '-P FORWARD ACCEPT',
    '-A FORWARD -s 10.89.0.128/26 ! -i pgbafb7cb10280b -m comment --comment pgbafb7cb10280b -j PLAYGROUND-FORWARD',
    '-A FORWARD -s 10.89.0.64/26 ! -i pg7ef0309fb41b5 -m comment --comment pg7ef0309fb41b5 -j PLAYGROUND-FWD-11b9aeae',
    '-A FORWARD -o pga5d3845b0c9fc -j DOCKER',
    '-A FORWARD -i pgbafb7cb10280b -j ACCEPT',
    '-A INPUT -i pgbafb7cb10280b -j DROP',
    '-A FORWARD -s 10.0.0.0/8 -j PLAYGROUND-FWD-11b9aeae',
  ];
  it('finds our rules that name a session bridge that is gone, and nothing of Docker’s or of a live bridge', () => {
    const alive = new Set(['pg7ef0309fb41b5']);
    expect(orphanedRules(lines, 'FORWARD', (bridge) => alive.has(bridge))).toEqual([
      ['-s', '10.89.0.128/26', '!', '-i', 'pgbafb7cb10280b', '-m', 'comment', '--comment', 'pgbafb7cb10280b', '-j', 'PLAYGROUND-FORWARD'],
    ]);
    expect(orphanedRules(lines, 'INPUT', () => false)).toEqual([['-i', 'pgbafb7cb10280b', '-j', 'DROP']]);
    expect(orphanedRules(lines, 'FORWARD', () => true)).toEqual([]);
  });
});

describe('interfaceNames', () => {
  it('reads the interfaces of this network namespace from /proc/net/dev, headers skipped', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:  2390643189 1046504    0    0    0     0          0         0 2390643189 1046504    0    0    0     0       0          0',
      'pg0123456789abc: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
      '  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16',
      '',
    ].join('\n');
    expect([...interfaceNames(text)].sort()).toEqual(['eth0', 'lo', 'pg0123456789abc']);
  });
});
