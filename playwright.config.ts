import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

// End-to-end tests: the real server, real sandboxes, Debian's Chromium. The client must already be
// built (`vite build`; the test script does it), because the server serves dist/client.
//
// Two servers: one with default settings for most specs, one whose sessions live 15 s for the
// expiry spec. Tests run one at a time: they share one Docker engine.

// E2E_PORT moves both servers (two developers' runs on one machine must not share ports).
const DEFAULT_PORT = Number(process.env.E2E_PORT || 18080);
const SHORT_TTL_PORT = DEFAULT_PORT + 1;
const FULL_PORT = DEFAULT_PORT + 2;

function server(port: number, env: Record<string, string> = {}) {
  return {
    // node itself, not npx or tsx's wrapper: the SIGTERM of gracefulShutdown reaches the server, and
    // Playwright waits for it to remove its warm pool before anything is killed.
    command: 'node --import tsx server/src/main.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    // One warm sandbox each: the specs meet the path a visitor meets, without two pools of
    // default size starting at once on a two-core CI machine. No pull-through cache of Docker Hub:
    // tests reach only this machine (registry-cache.test.ts tests the cache with a local upstream).
    // A name of its own on the engine (PLAYGROUND_NAME): a playground already running there is left alone.
    env: { PORT: String(port), HOST: '127.0.0.1', WARM_POOL: '1', REGISTRY_CACHE: 'off', PLAYGROUND_NAME: `e2e-${port}`, ...env },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
  };
}

export default defineConfig({
  testDir: 'e2e',
  // One folder per port: Playwright empties its output folder as it starts, and a run on another
  // E2E_PORT must not lose the artifacts of one in progress.
  outputDir: `test-results/port-${DEFAULT_PORT}`,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Each test starts a real sandbox.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: `playwright-report/port-${DEFAULT_PORT}` }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'default',
      testIgnore: /(session-expiry|admission-full|restart-reconnect|kill-during-create|cluster-front)\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${DEFAULT_PORT}` },
    },
    {
      name: 'short-ttl',
      testMatch: /session-expiry\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${SHORT_TTL_PORT}` },
    },
    {
      name: 'full',
      testMatch: /admission-full\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${FULL_PORT}` },
    },
    {
      // Start, kill and restart a server of their own (e2e/server-process.ts) on the next port.
      name: 'restart',
      testMatch: /(restart-reconnect|kill-during-create)\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${DEFAULT_PORT + 3}` },
    },
    {
      // A front (ROLE=front) before two nodes, all started by the spec on the ports after that.
      name: 'front',
      testMatch: /cluster-front\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${DEFAULT_PORT + 4}` },
    },
  ],
  webServer: [
    // The specs start many sessions a minute from one address: the per-address rate stays out of
    // their way (admission-full.spec.ts and the integration suite test it).
    // Uploads over 5 MB are refused here, so the oversized-upload spec needs no 100 MB file.
    // Stack links may fetch from loopback (STACK_LINKS=any): the stack-link spec serves its compose file there.
    server(DEFAULT_PORT, { SESSION_RATE_LIMIT: '0', MAX_SESSIONS_PER_CLIENT: '0', UPLOAD_MAX_BYTES: '5000000', STACK_LINKS: 'any' }),
    server(SHORT_TTL_PORT, { SESSION_TTL: '15s' }),
    // Room for one session only, so the page's "full" message can be seen; two instances each.
    // Loopback is a trusted proxy here, so the waiting-room spec's visitors differ by X-Forwarded-For.
    server(FULL_PORT, { MAX_SESSIONS: '1', WARM_POOL: '0', MAX_INSTANCES: '2', TRUSTED_PROXIES: '127.0.0.1' }),
  ],
});
