/**
 * `npm run cluster -- up|down|status`: three extra Docker engines on this machine, each in a
 * network namespace of its own, joined in a Swarm, with the playground's images (see
 * docs on "A cluster on one machine"). For trying the playground across nodes without more hosts.
 * The main engine (/var/run/docker.sock) is only read from: its images are copied, nothing else.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, SetupError } from '../setup/errors';
import { BRIDGE_ADDRESS, clusterNodes, upSummary } from './cluster-plan';
import { deploySwarmFront, FRONT_URL, startFront, startNodeServer, stopServers, swarmFrontUrl } from './playground-servers';
import { takeDown } from './cluster-down';
import { inspectCluster, isHealthy } from './cluster-state';
import { bringUp } from './cluster-up';
import { takeLock } from './lock';
import { Progress } from './progress';

/** The repository root (scripts/cluster/ -> ../..): the image definitions under sandbox/ give the tags. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = 'usage: npm run cluster -- up | down | status';

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down' && command !== 'status') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const progress = new Progress();
  const nodes = clusterNodes();
  if (command === 'status') {
    const state = await inspectCluster(nodes);
    if (state.present.length === 0) progress.final('cluster status: down (nothing of it on this machine)');
    else if (isHealthy(state)) progress.final(`cluster status: healthy; ${upSummary(nodes).replace(/^cluster up: /, '')}`);
    else progress.final(`cluster status: half-made; there: ${state.present.join(', ')}; wrong: ${state.problems.join('; ')}`);
    return 0;
  }

  const release = takeLock();
  try {
    if (command === 'up') {
      const result = await bringUp(nodes, REPO_ROOT, progress);
      progress.line(result === 'made' ? `engines made in ${progress.elapsed()}` : `engines checked in ${progress.elapsed()}`);
      progress.line(upSummary(nodes));
      // The playground on it: a node server in each namespace, then the front that finds them in the swarm.
      const manager = nodes[0]!;
      await Promise.all(nodes.map((node) => startNodeServer(node, manager, BRIDGE_ADDRESS, REPO_ROOT, progress)));
      await startFront(manager, REPO_ROOT, progress);
      await deploySwarmFront(manager, REPO_ROOT, progress);
      progress.line(`playground up in ${progress.elapsed()}; a second front on this machine at ${FRONT_URL}`);
      progress.final(`cluster up: the playground's front is at ${swarmFrontUrl(manager)}`);
    } else {
      await stopServers(nodes, progress);
      const { wasUp } = await takeDown(nodes, progress);
      progress.final(wasUp ? `cluster down: everything removed in ${progress.elapsed()}` : 'cluster down: nothing was up');
    }
    return 0;
  } finally {
    release();
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (err) {
  process.stderr.write(`[cluster] failed: ${errorMessage(err)}\n`);
  if (err instanceof SetupError) for (const line of err.tail) process.stderr.write(`    | ${line}\n`);
  else if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (process.argv[2] === 'up') process.stderr.write('[cluster] what was made stays for a look; `npm run cluster -- down` removes it, and the next `up` starts over\n');
  process.exitCode = 1;
}
