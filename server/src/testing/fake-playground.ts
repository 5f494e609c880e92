import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { silentLogger } from '../log';
import { startPlayground, type Playground, type PlaygroundOverrides } from '../main';
import { FakeDriver } from '../sandbox/fake-driver';

// A whole playground on the fake driver, for unit tests of the HTTP API: no engine. Each gets a
// folder of its own for its secret, expiries and classes; stop() removes it with every session.

export interface FakePlayground {
  playground: Playground;
  driver: FakeDriver;
  /** Moves the playground's clock forward. */
  advance(ms: number): void;
  /** Stops the server (its sessions stay on the driver) and starts another with the same settings and folder: a restart. */
  reopen(): Promise<Playground>;
  stop(): Promise<void>;
}

export async function startFakePlayground(env: Record<string, string> = {}, overrides: Omit<PlaygroundOverrides, 'driver' | 'clock' | 'logger'> = {}): Promise<FakePlayground> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fake-playground-'));
  let now = Date.parse('2026-12-03T12:00:00Z');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', WARM_POOL: '0', REGISTRY_CACHE: 'off', SECRET_FILE: path.join(dir, 'secret'), PLAYGROUND_NAME: 'unit', STATIC_DIR: dir, ...env });
  const driver = new FakeDriver();
  const start = () => startPlayground(config, { driver, logger: silentLogger, clock: { now: () => new Date(now) }, ...overrides });
  const fake: FakePlayground = {
    playground: await start(),
    driver,
    advance: (ms) => (now += ms),
    reopen: async () => {
      await fake.playground.close();
      fake.playground = await start();
      return fake.playground;
    },
    stop: async () => {
      await fake.playground.close({ removeSessions: true });
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
  return fake;
}

/** One API call: status and parsed JSON (or text). */
export async function callApi(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const response = await fetch(base + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}
