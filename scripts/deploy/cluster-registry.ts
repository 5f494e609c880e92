/**
 * The cluster's registry (deploy/registry-stack.yml): where the front's image is pushed and the
 * Swarm pulls it. Its htpasswd is a Swarm secret; the password stays root-only on the manager that
 * deploys, so a later deploy from there can push again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import type Dockerode from 'dockerode';
import { statusCode } from '../setup/docker-stream';
import { SetupError } from '../setup/errors';

export const REGISTRY_SECRET = 'playground-registry-htpasswd';
export const REGISTRY_USER = 'playground';
const READY_TIMEOUT_MS = 90_000;

export interface RegistryLogin {
  /** host:port, as image references name it (127.0.0.1:5005). */
  address: string;
  username: string;
  password: string;
}

/** The password of the registry, made on the first deploy (mode 0600, beside the server's secret). */
export async function registryPassword(stateDir: string): Promise<{ password: string; made: boolean }> {
  const file = path.join(stateDir, 'cluster-registry.password');
  const kept = await readFile(file, 'utf8').catch(() => '');
  if (kept.trim() !== '') return { password: kept.trim(), made: false };
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return { password, made: true };
}

/**
 * The Swarm secret holding the htpasswd. Made when missing; a secret that exists cannot be read
 * back, so a password made just now beside an old secret means another machine deployed first.
 */
export async function ensureRegistrySecret(docker: Dockerode, password: string, passwordIsNew: boolean, log: (line: string) => void): Promise<void> {
  const existing = await docker.getSecret(REGISTRY_SECRET).inspect().catch((error: unknown) => {
    if (statusCode(error) === 404) return undefined;
    throw error;
  });
  if (existing && passwordIsNew) {
    throw new SetupError(
      `the Swarm secret ${REGISTRY_SECRET} exists, but its password is not on this machine: deploy from the manager that deployed first, or run \`docker stack rm playground playground-registry && docker secret rm ${REGISTRY_SECRET}\` and deploy again`,
    );
  }
  if (existing) return;
  const htpasswd = `${REGISTRY_USER}:${bcrypt.hashSync(password, 10)}\n`;
  await docker.createSecret({ Name: REGISTRY_SECRET, Data: Buffer.from(htpasswd).toString('base64'), Labels: { 'dev.playground.role': 'cluster-registry' } });
  log(`made the Swarm secret ${REGISTRY_SECRET}`);
}

/** Waits until the registry answers /v2/ (401 without the password: it is up, and guarded). */
export async function waitForRegistry(address: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 401) return;
      last = `answered ${response.status}, expected 401 (a registry without its password?)`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new SetupError(`the cluster's registry did not answer at http://${address}/v2/ within ${READY_TIMEOUT_MS / 1000}s (${last}): see \`docker service ps playground-registry_registry\``);
}
