/**
 * The one iptables rule the cluster adds on the host: ACCEPT pgcl0 -> pgcl0 at the top of
 * DOCKER-USER (see FORWARD_RULE for why). DOCKER-USER is the chain Docker leaves to users and
 * never flushes; the main engine makes it, and the rule is added once and removed by its exact text.
 */
import { FORWARD_CHAIN, FORWARD_RULE } from './cluster-plan';
import { tryCommand, mustRun } from './commands';
import type { Progress } from './progress';
import { SetupError } from '../setup/errors';

// -w: the main engine and the playground's server take the xtables lock too; wait for it.
const IPTABLES_WAIT = ['-w', '10'];

export async function forwardRuleExists(): Promise<boolean> {
  return (await tryCommand('iptables', [...IPTABLES_WAIT, '-C', FORWARD_CHAIN, ...FORWARD_RULE], { timeoutMs: 15_000 })).code === 0;
}

export async function ensureForwardRule(progress: Progress): Promise<void> {
  if (await forwardRuleExists()) return;
  const chain = await tryCommand('iptables', [...IPTABLES_WAIT, '-S', FORWARD_CHAIN], { timeoutMs: 15_000 });
  if (chain.code !== 0) {
    throw new SetupError(`the iptables chain ${FORWARD_CHAIN} does not exist: it is made by the main Docker engine, which must run (npm run setup starts it)`, [chain.stderr.trim()]);
  }
  await mustRun('iptables', [...IPTABLES_WAIT, '-I', FORWARD_CHAIN, ...FORWARD_RULE], { timeoutMs: 15_000 });
  progress.line(`iptables: ${FORWARD_CHAIN} ${FORWARD_RULE.join(' ')}`);
}

/** Deletes every copy of the rule (bounded: a few at most could have been added by hand). */
export async function removeForwardRule(progress: Progress): Promise<string[]> {
  for (let i = 0; i < 10 && (await forwardRuleExists()); i++) {
    const r = await tryCommand('iptables', [...IPTABLES_WAIT, '-D', FORWARD_CHAIN, ...FORWARD_RULE], { timeoutMs: 15_000 });
    if (r.code !== 0) return [`iptables rule ${FORWARD_CHAIN} ${FORWARD_RULE.join(' ')} (${r.stderr.trim()})`];
    progress.line(`removed iptables rule ${FORWARD_CHAIN} ${FORWARD_RULE.join(' ')}`);
  }
  return (await forwardRuleExists()) ? [`iptables rule ${FORWARD_CHAIN} ${FORWARD_RULE.join(' ')}`] : [];
}
