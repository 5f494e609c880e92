/**
 * `npm run deploy`: the playground's fronts onto an existing swarm, run on a manager (DOCKER_HOST
 * its engine, default the local one) after `npm run setup` there. It builds the front's image,
 * starts the cluster's registry (deploy/registry-stack.yml, its password a Swarm secret), pushes the
 * image, and deploys deploy/playground-stack.yml (FRONT_IMAGE: use an image already loaded instead
 * of building). The nodes are each machine's `npm start`
 * (docs/cluster.md, "Three machines"). Run again after an update: only what changed is redone.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDockerClient } from '../../server/src/docker/docker-client';
import { registryImageRef } from '../../server/src/sandbox/image-refs';
import { followStream, imageExists } from '../setup/docker-stream';
import { errorMessage, SetupError } from '../setup/errors';
import { run } from '../setup/proc';
import { pollHealth } from '../health-poll';
import { ensureRegistrySecret, registryPassword, REGISTRY_USER, waitForRegistry, type RegistryLogin } from './cluster-registry';
import { deploySettings, frontStackEnv, managerAddresses, pushedImageRef, registryStackEnv, type SwarmNodeJson } from './deploy-plan';
import { ensureFrontImage } from './front-image';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the registry's password is kept (root-only), beside the server's secret. */
const STATE_DIR = process.env.DEPLOY_STATE_DIR || '/var/lib/docker-playground';
const STACK = 'playground';
const REGISTRY_STACK = 'playground-registry';
const FRONT_READY_TIMEOUT_MS = 180_000;

const started = Date.now();
function log(line: string): void {
  process.stdout.write(`[deploy ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);
}

/** `docker stack deploy` with the variables the stack file reads, and the registry's login for the Swarm. */
async function stackDeploy(file: string, stack: string, variables: Record<string, string>, login: RegistryLogin): Promise<void> {
  const config = await mkdtemp(path.join(tmpdir(), 'playground-deploy-'));
  try {
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    await writeFile(path.join(config, 'config.json'), JSON.stringify({ auths: { [login.address]: { auth } } }), { mode: 0o600 });
    await run('docker', ['stack', 'deploy', '--with-registry-auth', '--prune', '-c', path.join(REPO_ROOT, file), stack], {
      env: { ...process.env, ...variables, DOCKER_CONFIG: config },
      onLine: (line) => log(`  ${line}`),
      timeoutMs: 120_000,
    });
  } finally {
    await rm(config, { recursive: true, force: true });
  }
}

async function waitForFront(url: string): Promise<void> {
  const last = await pollHealth(url, FRONT_READY_TIMEOUT_MS);
  if (last === undefined) return;
  throw new SetupError(`the front did not become healthy at ${url} within ${FRONT_READY_TIMEOUT_MS / 1000}s (${last}): see \`docker service ps ${STACK}_front\` and \`docker service logs ${STACK}_front\``);
}

async function main(): Promise<void> {
  const settings = deploySettings(process.env);
  const docker = createDockerClient(process.env.DOCKER_HOST || undefined);
  const info = (await docker.info()) as { Swarm?: { ControlAvailable?: boolean; NodeID?: string; NodeAddr?: string } };
  if (!info.Swarm?.ControlAvailable || !info.Swarm.NodeID) throw new SetupError('this engine is not a Swarm manager: run `npm run deploy` on a manager (docs/cluster.md, "Three machines")');
  const managers = managerAddresses((await docker.listNodes()) as SwarmNodeJson[]);
  log(`swarm manager ${info.Swarm.NodeAddr}; managers: ${managers.join(', ')}`);

  // FRONT_IMAGE: an image already on this engine (built elsewhere and loaded, as the test cluster
  // does: its manager cannot reach Debian's mirror); otherwise it is built here.
  const frontImage = process.env.FRONT_IMAGE?.trim() || (await ensureFrontImage(docker, REPO_ROOT, log));
  if (!(await imageExists(docker, frontImage))) throw new SetupError(`FRONT_IMAGE=${frontImage} is not on this engine`);
  const registryImage = registryImageRef(REPO_ROOT);
  if (!(await imageExists(docker, registryImage))) throw new SetupError(`the registry image ${registryImage} is missing on this engine: run \`npm run setup\` first`);

  const { password, made } = await registryPassword(STATE_DIR);
  await ensureRegistrySecret(docker, password, made, log);
  const login: RegistryLogin = { address: `127.0.0.1:${settings.registryPort}`, username: REGISTRY_USER, password };
  log(`the cluster's registry (${REGISTRY_STACK})`);
  await stackDeploy('deploy/registry-stack.yml', REGISTRY_STACK, registryStackEnv(settings, registryImage, info.Swarm.NodeID), login);
  await waitForRegistry(login.address);

  const pushed = pushedImageRef(login.address, frontImage);
  const [repo, tag] = [pushed.slice(0, pushed.lastIndexOf(':')), pushed.slice(pushed.lastIndexOf(':') + 1)];
  await docker.getImage(frontImage).tag({ repo, tag });
  const push = (await docker.getImage(pushed).push({ authconfig: { username: login.username, password: login.password, serveraddress: login.address } })) as NodeJS.ReadableStream;
  await followStream(docker, push, `pushing ${pushed}`);
  log(`pushed ${pushed}`);

  log(`the fronts (${STACK})`);
  await stackDeploy('deploy/playground-stack.yml', STACK, frontStackEnv(settings, managers, pushed), login);
  const address = info.Swarm.NodeAddr ?? managers[0]!;
  const url = `http://${address.includes(':') ? `[${address}]` : address}${settings.frontPort === 80 ? '' : `:${settings.frontPort}`}`;
  await waitForFront(url);
  log(`deployed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  process.stdout.write(`deployed: the playground's front is at ${url}\n`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[deploy] failed: ${errorMessage(error)}\n`);
  if (error instanceof SetupError) for (const line of error.tail) process.stderr.write(`    | ${line}\n`);
  process.exitCode = 1;
}
