import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { Playground } from '../../src/main';
import { TEST_PLAYGROUND_NAME, waitFor } from './harness';

// A playground server in a process of its own, for the tests that kill it (SIGKILL cannot be
// shown in process). Same defaults as startTestPlayground, plus a PLAYGROUND_NAME the test chooses.

const repoRoot = loadConfig({}).repoRoot;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** What the harness's helpers need of a playground: its URL. */
  playground: Playground;
}

/** Starts `node server/src/main.ts` on `port` under PLAYGROUND_NAME `<test name>-<suffix>`, and waits until it answers. */
export async function startServerProcess(port: number, suffix: string): Promise<ServerProcess> {
  const env = {
    HOST: '127.0.0.1',
    WARM_POOL: '0',
    REGISTRY_CACHE: 'off',
    MAX_SESSIONS_PER_CLIENT: '0',
    SANDBOX_DISK: '4g',
    PLAYGROUND_NAME: `${TEST_PLAYGROUND_NAME}-${suffix}`,
    PORT: String(port),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the server to answer', async () => (await fetch(`${url}/api/health`).catch(() => undefined))?.ok, 60_000);
  return { child, exited, playground: { url } as Playground };
}

/** Kills the server at once, as a crash or `kill -9` would, and waits for it to be gone. */
export async function killServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}
