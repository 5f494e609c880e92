/**
 * `up`: three Docker engines in network namespaces of their own, one Swarm over them, and the
 * playground's images in each. Idempotent: a healthy cluster is only checked (and topped up with
 * images the main engine has gained since); a half-made one is taken down and made again.
 */
import { SetupError } from '../setup/errors';
import { which } from '../setup/proc';
import { aptInstall } from '../setup/apt';
import { ensureRemapUser } from '../setup/user-namespaces';
import { MAIN_DOCKER_HOST, type NodePlan } from './cluster-plan';
import { takeDown } from './cluster-down';
import { inspectCluster, isHealthy } from './cluster-state';
import { tryCommand } from './commands';
import { startEngines } from './engines';
import { ensureForwardRule } from './forward-rule';
import { copyImages, sourceImages } from './image-copy';
import { createNetwork } from './network-namespaces';
import type { Progress } from './progress';
import { formSwarm } from './swarm';

/** The host tools `up` and `down` use, and the Debian package of each (the set-up already installs docker.io). */
const TOOLS: Record<string, string> = { ip: 'iproute2', nsenter: 'util-linux', losetup: 'mount', iptables: 'iptables', umount: 'mount', dockerd: 'docker.io', docker: 'docker.io' };

async function checkPrerequisites(progress: Progress): Promise<void> {
  if (process.getuid?.() !== 0) throw new SetupError('the cluster needs root (network namespaces, iptables, dockerd): run it as root');
  // A fresh Debian may lack some (a minimal image has no iproute2): installed as the set-up does.
  const absent = async () => (await Promise.all(Object.keys(TOOLS).map(async (tool) => ((await which(tool)) ? undefined : tool)))).filter((tool): tool is string => tool !== undefined);
  const wanting = await absent();
  if (wanting.length > 0 && (await which('apt-get'))) await aptInstall([...new Set(wanting.map((tool) => TOOLS[tool]!))], progress.asStepProgress(), { noRecommends: true });
  const missing = await absent();
  if (missing.length > 0) throw new SetupError(`missing on this host: ${missing.join(', ')} (iproute2, util-linux, iptables, docker.io)`);
  // The images come from the main engine; it also makes the DOCKER-USER chain the rule goes in.
  const main = await tryCommand('docker', ['-H', MAIN_DOCKER_HOST, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  if (main.code !== 0) throw new SetupError(`the main Docker engine does not answer at ${MAIN_DOCKER_HOST}: run \`npm run setup\` first`, [main.stderr.trim()]);
}

export type UpResult = 'made' | 'already up';

export async function bringUp(nodes: readonly NodePlan[], repoRoot: string, progress: Progress): Promise<UpResult> {
  await checkPrerequisites(progress);
  // Before anything is made: a missing sandbox image stops `up` with nothing to clean.
  const wanted = await sourceImages(repoRoot, progress);

  const state = await inspectCluster(nodes);
  if (isHealthy(state)) {
    progress.line(`already up and healthy: ${nodes.length} engines answer, ${nodes.length} swarm nodes Ready`);
    await copyImages(wanted, nodes, progress);
    return 'already up';
  }
  if (state.present.length > 0) {
    progress.line(`a half-made cluster is here (${state.problems.join('; ')}): taking it down first`);
    await takeDown(nodes, progress);
  }

  // The engines remap container root to dockremap, as the main engine does (made by npm run setup).
  await ensureRemapUser(progress.asStepProgress());
  await createNetwork(nodes, progress);
  await ensureForwardRule(progress);
  await startEngines(nodes, progress);
  await formSwarm(nodes, progress);
  await copyImages(wanted, nodes, progress);
  return 'made';
}
