import { readFile, writeFile } from 'node:fs/promises';
import type { Logger } from '../log';
import {
  forwardRules,
  FORWARD_TABLE,
  checkedSubnet,
  inputRules,
  interfaceNames,
  orphanedRules,
  ipv6Rules,
  policyChainName,
  type PolicyChains,
  resolversFrom,
  sessionJumps,
  type EgressOptions,
  type EgressPolicy,
} from './egress-rules';
import { ip6tables, iptables, iptablesOrThrow } from './iptables';

/** What the sandbox driver needs: put a session's network under the egress rules, and take it out. */
export interface SessionFirewall {
  /** Hooks the session's bridge and subnet (IPv4 CIDR) into the chains and turns IPv6 off on the bridge. Safe to call twice. */
  protect(bridge: string, subnet: string): Promise<void>;
  /** Removes every jump of this bridge (whatever subnet it had). Safe to call twice, and after the network is gone. */
  release(bridge: string): Promise<void>;
}

/** EGRESS_POLICY=off: no rules (a development machine where the server is not root). */
export const noFirewall: SessionFirewall = {
  protect: async () => {},
  release: async () => {},
};

/**
 * Host firewall rules for session networks. The two policy chains are made when the server starts,
 * named after their rules (policyChainName), so a neighbour with other rules gets chains of its own
 * and one with the same rules finds them made; each session's bridge gets its jumps into them when
 * its network is made, and loses them when the session is removed. Jumps are per session, so servers
 * sharing an engine never remove each other's protection.
 */
export class IptablesSessionFirewall implements SessionFirewall {
  private constructor(private readonly chains: PolicyChains) {}

  /** Installs the chains for this policy; throws with the reason if iptables cannot be used. */
  static async install(policy: Exclude<EgressPolicy, 'off'>, allow: string[], logger: Logger): Promise<IptablesSessionFirewall> {
    const resolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    const options: EgressOptions = { policy, allow, resolvers: resolversFrom(resolvConf) };
    const forward = forwardRules(options);
    const input = inputRules();
    const chains = { forward: policyChainName('FWD', forward), input: policyChainName('IN', input) };
    await ensureChain(FORWARD_TABLE, chains.forward, forward);
    await ensureChain('filter', chains.input, input);
    const firewall = new IptablesSessionFirewall(chains);
    const orphans = await firewall.releaseOrphans();
    logger.info('egress firewall installed', { policy, resolvers: options.resolvers.join(',') || 'none', chains: `${chains.forward},${chains.input}`, orphanedRulesRemoved: orphans });
    return firewall;
  }

  async protect(bridge: string, subnet: string): Promise<void> {
    // This subnet may have been another session's, whose rules outlived its bridge: they go first.
    await this.releaseOrphans();
    for (const { table, chain, rule } of sessionJumps(bridge, checkedSubnet(subnet), this.chains)) await ensureRule(iptables, table, chain, rule);
    for (const { table, chain, rule } of ipv6Rules(bridge)) await ensureRule(ip6tables, table, chain, rule);
    // The host keeps no IPv6 address on a session bridge, so a sandbox that turns IPv6 on finds
    // nothing of the host's there (the ip6tables rules drop it as well).
    await writeFile(`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, '1').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // a host without IPv6 has no such file: nothing to turn off
    });
  }

  async release(bridge: string): Promise<void> {
    // Found by listing rather than rebuilt from the subnet: the network (and its subnet) is gone by now.
    for (const [command, table, chain] of SESSION_HOOKS) {
      for (const rule of await rulesNaming(command, table, chain, bridge)) await command(['-t', table, '-D', chain, ...rule]);
    }
  }

  /**
   * Removes the session rules of every bridge that no longer exists, whoever made them (a killed
   * server, an older version, a neighbour whose network was swept). A live session's bridge exists,
   * so no one's protection is ever removed.
   */
  async releaseOrphans(): Promise<number> {
    let removed = 0;
    for (const [command, table, chain] of SESSION_HOOKS) {
      const { ok, stdout } = await command(['-t', table, '-S', chain]);
      if (!ok) continue;
      // Read for each chain: a bridge made meanwhile (a session starting) is seen.
      const interfaces = interfaceNames(await readFile('/proc/net/dev', 'utf8'));
      for (const rule of orphanedRules(stdout.split('\n'), chain, (bridge) => interfaces.has(bridge))) {
        if ((await command(['-t', table, '-D', chain, ...rule])).ok) removed++;
      }
    }
    return removed;
  }
}

/** Where session rules hook in: each names its session's bridge. */
const SESSION_HOOKS: Array<[typeof iptables, string, string]> = [
  [iptables, FORWARD_TABLE, 'FORWARD'],
  [iptables, 'filter', 'INPUT'],
  [ip6tables, 'filter', 'INPUT'],
  [ip6tables, 'filter', 'FORWARD'],
];

/** Inserts the rule at the top of the chain unless it is there already. */
async function ensureRule(command: typeof iptables, table: string, chain: string, rule: string[]): Promise<void> {
  const present = await command(['-t', table, '-C', chain, ...rule]);
  if (present.ok) return;
  const inserted = await command(['-t', table, '-I', chain, '1', ...rule]);
  if (!inserted.ok) throw new Error(`${table} ${chain} ${rule.join(' ')}: ${inserted.stderr}`);
}

/** This server's rules in a chain that name this bridge (never Docker's), as arguments after the chain (from `iptables -S`). */
async function rulesNaming(command: typeof iptables, table: string, chain: string, bridge: string): Promise<string[][]> {
  const { ok, stdout } = await command(['-t', table, '-S', chain]);
  if (!ok) return [];
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === '-A' && words[1] === chain && words.includes(bridge))
    .filter((words) => /^(PLAYGROUND-|DROP$)/.test(words[words.indexOf('-j') + 1] ?? ''))
    .map((words) => words.slice(2));
}

/** Creates the chain if missing and replaces its rules (flush, then append in order). */
/**
 * Makes the chain unless it exists: a chain of this name holds exactly these rules (its name is
 * their digest), so one that exists is left as it is, never flushed under a neighbour's sessions.
 * It is filled under a temporary name and renamed, so no one ever jumps into a half-filled chain.
 */
async function ensureChain(table: string, chain: string, rules: string[][]): Promise<void> {
  if ((await iptables(['-t', table, '-n', '-L', chain])).ok) return;
  const temporary = `PGTMP-${process.pid}-${chain.slice(-8)}`.slice(0, 28);
  await iptables(['-t', table, '-F', temporary]);
  await iptables(['-t', table, '-X', temporary]);
  await iptablesOrThrow(['-t', table, '-N', temporary]);
  for (const rule of rules) await iptablesOrThrow(['-t', table, '-A', temporary, ...rule]);
  const renamed = await iptables(['-t', table, '-E', temporary, chain]);
  if (!renamed.ok) {
    // A neighbour made the same chain meanwhile: theirs holds the same rules.
    await iptables(['-t', table, '-F', temporary]);
    await iptables(['-t', table, '-X', temporary]);
    if (!(await iptables(['-t', table, '-n', '-L', chain])).ok) throw new Error(`${table} ${chain}: ${renamed.stderr}`);
  }
}
