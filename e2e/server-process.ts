// A playground server the spec itself starts, kills and starts again (the webServer entries of
// playwright.config.ts live as long as the whole run, so they cannot show a restart).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class ServerProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<unknown> = Promise.resolve();

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Its PLAYGROUND_NAME: what it labels its resources with on the engine. */
  get name(): string {
    return this.env.PLAYGROUND_NAME ?? 'default';
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server (node itself, so signals reach it) and waits until it answers. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', resolve));
    await expect
      .poll(async () => {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${errors}`);
        return (await fetch(`${this.url}/api/health/live`).catch(() => undefined))?.status;
      }, { timeout: 60_000, intervals: [250, 500], message: 'waiting for the server to answer' })
      .toBe(200);
  }

  /** Whether its process is running (a spec that killed it starts it again to clean up). */
  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Sends the signal and waits for the process to end (SIGTERM: it saves screens and leaves). */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    if (!this.#child || this.#child.exitCode !== null) return;
    this.#child.kill(signal);
    await this.#exited;
  }
}

/**
 * The server of a spec in the "restart" project (playwright.config.ts): on the port after the three
 * webServers, named `name` on the engine, with no warm pool and no per-client limits. Started before
 * the spec's tests and stopped (SIGTERM, so it leaves nothing behind) after them.
 */
export function restartProjectServer(name: string): ServerProcess {
  const port = Number(process.env.E2E_PORT || 18080) + 3;
  const server = new ServerProcess(port, {
    WARM_POOL: '0',
    REGISTRY_CACHE: 'off',
    SESSION_RATE_LIMIT: '0',
    MAX_SESSIONS_PER_CLIENT: '0',
    PLAYGROUND_NAME: `${name}-${port}`,
  });
  test.beforeAll(async () => {
    await server.start();
  });
  test.afterAll(async () => {
    await server.stop('SIGTERM');
  });
  return server;
}
