import { sessionLogName, type Logger } from '../log';
import type { StackProgress } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { Session } from '../sessions/session';

/** A stack link's compose file, fetched before the session was made. */
export interface StackSource {
  url: string;
  /** The compose project's name: also the folder in node1 (/root/<name>). */
  name: string;
  compose: string;
}

const DEPLOY_TIMEOUT_MS = 300_000;

/**
 * Deploys a stack link's compose file on node1 as Play-with-Docker's "Try in PWD" did, with one
 * difference: `docker compose up -d` on one host rather than `docker stack deploy` on a swarm, since
 * a swarm's published ports need the routing mesh (IPVS), which these hosts lack; compose publishes
 * them on node1 directly, so they open as previews. The file is left in /root/<name> for the visitor
 * to read and change. Progress is written to `session.stack` for the page. Never throws.
 */
export async function deployStack(session: Session, stack: StackSource, context: { driver: SandboxDriver; logger: Logger }): Promise<void> {
  const progress: StackProgress = { url: stack.url, name: stack.name, state: 'deploying', message: 'Waiting for Docker on node1' };
  session.stack = progress;
  try {
    const node1 = session.instances.get('node1');
    if (!node1) throw new Error('node1 is gone');
    await node1.ready;
    progress.message = `Starting its services: docker compose -p ${stack.name} up -d`;
    const folder = `/root/${stack.name}`;
    // The file travels base64-encoded in the command: no quoting of its text can go wrong.
    const script = [
      'set -e',
      `mkdir -p ${folder}`,
      `echo '${Buffer.from(stack.compose).toString('base64')}' | base64 -d > ${folder}/docker-compose.yml`,
      `cd ${folder}`,
      `docker compose -p ${stack.name} up -d --quiet-pull 2>&1`,
    ].join('\n');
    const outcome = await context.driver.exec(node1.containerId, ['sh', '-c', script], { timeoutMs: DEPLOY_TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
    if (outcome.exitCode !== 0) {
      const words = `${outcome.stdout}${outcome.stderr}`.trim().split('\n').filter(Boolean).slice(-3).join(' ');
      throw new Error(words || `docker compose exited with ${outcome.exitCode}`);
    }
    const listed = await context.driver.exec(node1.containerId, ['sh', '-c', `cd ${folder} && docker compose -p ${stack.name} ps --status running --services`], { timeoutMs: 30_000, maxOutputBytes: 16 * 1024 });
    const services = listed.stdout.split('\n').filter(Boolean).sort();
    progress.state = 'ready';
    progress.message = `The stack ${stack.name} is up on node1 (${services.length} service${services.length === 1 ? '' : 's'} running: ${services.join(', ') || 'none'}); its compose file is in ${folder}`;
    context.logger.info('stack deployed', { session: sessionLogName(session.key), services: services.length });
  } catch (error) {
    progress.state = 'failed';
    progress.message = `The stack could not be deployed: ${(error as Error).message}`;
    context.logger.warn('stack deployment failed', { session: sessionLogName(session.key), error: (error as Error).message });
  }
}
