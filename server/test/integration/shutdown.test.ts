import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { containerLogTail } from '../../src/docker/docker-log';
import { SANDBOX_READY_LINE } from '../../src/sandbox/contract';
import { isPooledContainerName, LABEL, MANAGED_BY } from '../../src/sandbox/labels';
import { docker, TEST_PLAYGROUND_NAME, waitFor } from './harness';
import { freePort } from './server-process';

// The server as `npm start` and Playwright run it, stopped the way they stop it (SIGTERM): it must
// remove its warm pool, also when the signal arrives while a pooled sandbox is still starting.
// Only what this file's servers made is looked at (their PLAYGROUND_NAME): another playground may share the engine.

const repoRoot = loadConfig({}).repoRoot;

async function pooledSandboxes(): Promise<Array<{ id: string; name: string }>> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.managedBy}=${MANAGED_BY}`, `${LABEL.owner}=${TEST_PLAYGROUND_NAME}`, `${LABEL.role}=sandbox`] } });
  return containers
    .filter((container) => container.Names.some(isPooledContainerName))
    .map((container) => ({ id: container.Id, name: container.Names[0]! }));
}

/** Names of every container, network and volume that belongs to some session. */
async function sessionResources(): Promise<string[]> {
  const filters = { label: [`${LABEL.managedBy}=${MANAGED_BY}`, `${LABEL.owner}=${TEST_PLAYGROUND_NAME}`, LABEL.session] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return [...containers.map((c) => c.Names[0]!), ...networks.map((n) => n.Name), ...(volumes.Volumes ?? []).map((v) => v.Name)].sort();
}

/** True once a pooled sandbox's nested Docker answered (its READY line, as bench/ waits for it). */
async function poolReady(): Promise<boolean> {
  for (const sandbox of await pooledSandboxes()) {
    if ((await containerLogTail(docker, sandbox.id)).includes(SANDBOX_READY_LINE)) return true;
  }
  return false;
}

interface ServerChild {
  child: ChildProcess;
  exited: Promise<number | null>;
}

async function startServer(): Promise<ServerChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WARM_POOL: '1', REGISTRY_CACHE: 'off', PLAYGROUND_NAME: TEST_PLAYGROUND_NAME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the server to answer', async () => (await fetch(`${url}/api/health`)).ok, 60_000);
  return { child, exited };
}

async function stopWithSigterm(server: ServerChild): Promise<number | null> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}

describe('stopping the server with SIGTERM', () => {
  it('removes a warm pool that is ready, with its network, registry and volumes', async () => {
    const before = await sessionResources();
    const server = await startServer();
    await waitFor('the warm sandbox to be ready', poolReady, 60_000);
    expect(await stopWithSigterm(server)).toBe(0);
    expect(await pooledSandboxes()).toEqual([]);
    expect(await sessionResources()).toEqual(before);
  });

  it('removes a pooled sandbox that was still starting when the signal came', async () => {
    const before = await sessionResources();
    const server = await startServer();
    // Health answers before the pool's first sandbox is ready: stop at once, mid-start.
    await waitFor('the pooled sandbox to exist', async () => (await pooledSandboxes()).length > 0, 30_000);
    expect(await stopWithSigterm(server)).toBe(0);
    expect(await sessionResources()).toEqual(before);
  });
});
