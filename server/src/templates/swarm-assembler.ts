import { sessionLogName, type Logger } from '../log';
import type { TemplateProgress } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { Instance, Session } from '../sessions/session';
import { roles, type SwarmTemplate } from './templates';

const STEP_TIMEOUT_MS = 120_000;

export interface SwarmAssemblyContext {
  driver: SandboxDriver;
  logger: Logger;
  /** Adds the next instance to the session (the session service's addInstance). */
  addInstance: () => Promise<Instance>;
}

/**
 * Builds a swarm in a session that has node1: starts the other nodes at once, waits for each nested
 * Docker, runs `docker swarm init` on node1 with its session address, then joins the others with the
 * manager or worker token. Progress is written to `session.template` for the page to show. Never
 * throws: a failure is recorded as state 'failed' with its reason.
 */
export async function assembleSwarm(session: Session, template: SwarmTemplate, context: SwarmAssemblyContext): Promise<void> {
  const plan = roles(template);
  // Title and roles are known from the start: the page names the template and labels each node.
  const progress: TemplateProgress = {
    name: template.name,
    title: template.title,
    roles: Object.fromEntries(plan.map(({ name, role }) => [name, role])),
    state: 'assembling',
    message: 'Starting the nodes',
  };
  session.template = progress;
  try {
    const others = await Promise.all(plan.slice(1).map(() => context.addInstance()));
    progress.message = `Waiting for Docker on ${plan.length} nodes`;
    const node1 = session.instances.get('node1');
    if (!node1) throw new Error('node1 is gone');
    await Promise.all([node1, ...others].map((instance) => instance.ready));

    progress.message = 'Initialising the swarm on node1';
    const run = async (instance: Instance, script: string): Promise<string> => {
      const outcome = await context.driver.exec(instance.containerId, ['sh', '-c', script], { timeoutMs: STEP_TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
      if (outcome.exitCode !== 0) throw new Error(`${instance.name}: ${(outcome.stderr || outcome.stdout).trim().split('\n').pop()}`);
      return outcome.stdout.trim();
    };
    await run(node1, `docker swarm init --advertise-addr ${node1.ip} >/dev/null`);
    const managerToken = await run(node1, 'docker swarm join-token -q manager');
    const workerToken = await run(node1, 'docker swarm join-token -q worker');

    // Managers join one at a time (each join changes the raft membership); workers all at once.
    for (const { name, role } of plan.slice(1)) {
      if (role !== 'manager') continue;
      progress.message = `Joining ${name} as a manager`;
      await run(session.instances.get(name)!, `docker swarm join --advertise-addr ${session.instances.get(name)!.ip} --token ${managerToken} ${node1.ip}:2377 >/dev/null`);
    }
    progress.message = 'Joining the workers';
    await Promise.all(
      plan
        .filter(({ role }, index) => index > 0 && role === 'worker')
        .map(({ name }) => {
          const instance = session.instances.get(name)!;
          return run(instance, `docker swarm join --advertise-addr ${instance.ip} --token ${workerToken} ${node1.ip}:2377 >/dev/null`);
        }),
    );
    progress.state = 'ready';
    progress.message = `A swarm of ${template.managers} manager${template.managers > 1 ? 's' : ''} and ${template.workers} worker${template.workers > 1 ? 's' : ''} is ready`;
    context.logger.info('swarm assembled', { session: sessionLogName(session.key), template: template.name });
  } catch (error) {
    progress.state = 'failed';
    progress.message = `The swarm could not be assembled: ${(error as Error).message}`;
    context.logger.warn('swarm assembly failed', { session: sessionLogName(session.key), error: (error as Error).message });
  }
}
