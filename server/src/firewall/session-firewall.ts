import { readFile } from 'node:fs/promises';
import type { Logger } from '../log';
import {
  forwardRules,
  FORWARD_CHAIN,
  FORWARD_TABLE,
  inputRules,
  INPUT_CHAIN,
  resolversFrom,
  sessionJumps,
  type EgressOptions,
  type EgressPolicy,
} from './egress-rules';
import { iptables, iptablesOrThrow } from './iptables';

/** What the sandbox driver needs: put a session's bridge under the egress rules, and take it out. */
export interface SessionFirewall {
  protect(bridge: string): Promise<void>;
  release(bridge: string): Promise<void>;
}

/** EGRESS_POLICY=off: no rules (a development machine where the server is not root). */
export const noFirewall: SessionFirewall = {
  protect: async () => {},
  release: async () => {},
};

/**
 * Host firewall rules for session networks. The two policy chains are (re)written when the server
 * starts; each session's bridge gets its jumps into them when its network is made, and loses them
 * when the session is removed. Jumps are per session, so servers sharing an engine never remove
 * each other's protection.
 */
export class IptablesSessionFirewall implements SessionFirewall {
  private constructor() {}

  /** Installs the chains for this policy; throws with the reason if iptables cannot be used. */
  static async install(policy: Exclude<EgressPolicy, 'off'>, allow: string[], logger: Logger): Promise<IptablesSessionFirewall> {
    const resolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    const options: EgressOptions = { policy, allow, resolvers: resolversFrom(resolvConf) };
    await writeChain(FORWARD_TABLE, FORWARD_CHAIN, forwardRules(options));
    await writeChain('filter', INPUT_CHAIN, inputRules());
    logger.info('egress firewall installed', { policy, resolvers: options.resolvers.join(',') || 'none' });
    return new IptablesSessionFirewall();
  }

  async protect(bridge: string): Promise<void> {
    for (const { table, chain, rule } of sessionJumps(bridge)) {
      const present = await iptables(['-t', table, '-C', chain, ...rule]);
      if (!present.ok) await iptablesOrThrow(['-t', table, '-I', chain, '1', ...rule]);
    }
  }

  async release(bridge: string): Promise<void> {
    for (const { table, chain, rule } of sessionJumps(bridge)) {
      // Delete every copy (a crash between check and insert could have left two).
      for (let attempt = 0; attempt < 5; attempt++) {
        const removed = await iptables(['-t', table, '-D', chain, ...rule]);
        if (!removed.ok) break;
      }
    }
  }
}

/** Creates the chain if missing and replaces its rules (flush, then append in order). */
async function writeChain(table: string, chain: string, rules: string[][]): Promise<void> {
  await iptables(['-t', table, '-N', chain]); // fails harmlessly when it exists
  await iptablesOrThrow(['-t', table, '-F', chain]);
  for (const rule of rules) await iptablesOrThrow(['-t', table, '-A', chain, ...rule]);
}
