import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { loadConfig } from '../../src/config';
import { silentLogger, consoleLogger } from '../../src/log';
import { startPlayground, type Playground } from '../../src/main';
import { apiPaths, websocketUrl } from '../../src/protocol/api-paths';
import type { SessionInfo } from '../../src/protocol/api-types';
import { parseServerMessage, type ServerMessage } from '../../src/protocol/terminal-protocol';
import { LABEL } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';

// Shared helpers for the integration suites: a real server on a random loopback port, against the
// real engine. Every suite closes its playground with removeSessions, so nothing is left behind.

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

/**
 * The name this test file's servers go by on the engine (PLAYGROUND_NAME): a playground already
 * running there, or another test file's servers, neither adopt nor count nor sweep what these make.
 * Each server of the file gets a name of its own (this plus a number), unless the test passes one:
 * a test of restarts passes the same PLAYGROUND_NAME to both servers.
 */
export const TEST_PLAYGROUND_NAME = `test-${randomBytes(4).toString('hex')}`;
let serversStarted = 0;

export async function startTestPlayground(env: Record<string, string> = {}): Promise<Playground> {
  // No warm pool unless a suite asks: each suite counts exactly what it made. No pull-through cache
  // of Docker Hub either (tests reach only this machine): registry-cache.test.ts gives it a local upstream.
  // No cap on sessions per client: every test client is 127.0.0.1 (admission-and-origin.test.ts sets one).
  // Disks of 4 GiB (tests fill none but disk-quota's, which sets its own): the disk admission counts
  // every disk in the directory, a running playground's too, against this machine's free space.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', WARM_POOL: '0', REGISTRY_CACHE: 'off', MAX_SESSIONS_PER_CLIENT: '0', SANDBOX_DISK: '4g', PLAYGROUND_NAME: `${TEST_PLAYGROUND_NAME}-${++serversStarted}`, ...env });
  return startPlayground(config, { logger: process.env.PLAYGROUND_TEST_LOGS ? consoleLogger : silentLogger });
}

export async function api(
  playground: Pick<Playground, 'url'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(playground.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

export async function createSession(playground: Pick<Playground, 'url'>): Promise<SessionInfo> {
  const { status, json } = await api(playground, 'POST', apiPaths.sessions);
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(json)}`);
  return json as SessionInfo;
}

export async function execIn(
  playground: Pick<Playground, 'url'>,
  id: string,
  script: string,
  timeoutMs = 120_000,
  instance = 'node1',
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { status, json } = await api(playground, 'POST', apiPaths.exec(id, instance), {
    cmd: ['sh', '-c', script],
    timeoutMs,
  });
  if (status !== 200) throw new Error(`exec failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** Everything on the engine carrying this session's label. */
export async function labelledResources(id: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`${LABEL.session}=${sessionKey(id)}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: (volumes.Volumes ?? []).length };
}

/** Everything on the engine made by the playground of this PLAYGROUND_NAME (sessions, pool, disks' volumes). */
export async function ownedResources(owner: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`${LABEL.owner}=${owner}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: (volumes.Volumes ?? []).length };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** A terminal WebSocket client for tests: collects output, parses control messages, acks on demand. */
export class TestTerminal {
  readonly socket: WebSocket;
  output = '';
  outputBytes = 0;
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly opened: Promise<void>;

  constructor(playground: Pick<Playground, 'url'>, id: string, instance = 'node1', readonly autoAck = true, query = '') {
    // `query` as given (tests send malformed ones on purpose).
    this.socket = new WebSocket(websocketUrl(playground.url, apiPaths.terminal(id, instance)) + query);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.output += data.toString('utf8');
        this.outputBytes += data.length;
        if (this.autoAck) this.send({ type: 'ack', bytes: data.length });
      } else {
        const message = parseServerMessage(data.toString());
        if (message) this.messages.push(message);
      }
    });
    this.socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  type(text: string): void {
    this.send({ type: 'input', data: text });
  }

  /** The output with terminal escape sequences (colours, titles) removed. */
  plain(): string {
    return stripEscapes(this.output);
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return waitFor(`terminal output ${pattern}`, async () => this.plain().match(pattern) ?? undefined, timeoutMs);
  }

  async waitForClose(timeoutMs = 30_000): Promise<{ code: number; reason: string }> {
    return waitFor('socket close', async () => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}

export function stripEscapes(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>]/g, '');
}

/** The shell's prompt, as the sandbox prints it (see sandbox/README.md). */
export const PROMPT = /\[node1\] [^\r\n]*# $/m;
