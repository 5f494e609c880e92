// The session fixture: every session a test makes (through the page or the API) is recorded and
// DELETEd afterwards, whatever happened; a failed test also gets the managed containers' state.
import { test as base, expect, type APIRequestContext, type Response, type TestInfo } from '@playwright/test';
import { apiPaths } from '../server/src/protocol/api-paths';
import type { SessionInfo } from '../server/src/protocol/api-types';
import { describeManagedContainers, managedContainerLogs } from './docker-state';

/** A session's URL is `/s/` followed by 22 base64url characters (128 random bits). */
export const SESSION_URL = /\/s\/([A-Za-z0-9_-]{22})$/;

interface Tracked {
  origin: string;
  id: string;
}

export class SessionTracker {
  readonly #tracked = new Map<string, Tracked>();
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly request: APIRequestContext,
    private readonly baseURL: string,
  ) {}

  /** Records a session to delete after the test. Recording one twice is harmless. */
  track(id: string, origin = this.baseURL): void {
    this.#tracked.set(`${origin} ${id}`, { origin, id });
  }

  get ids(): string[] {
    return [...this.#tracked.values()].map((tracked) => tracked.id);
  }

  /** Creates a session through the API (not the page) and records it. */
  async create(): Promise<SessionInfo> {
    const response = await this.request.post(`${this.baseURL}${apiPaths.sessions}`, { timeout: 60_000 });
    expect(response.status(), await response.text()).toBe(201);
    const session = (await response.json()) as SessionInfo;
    this.track(session.id);
    return session;
  }

  /** Polls until the instance reports 'running' (bounded by timeoutMs). */
  async waitUntilRunning(id: string, instance = 'node1', timeoutMs = 45_000): Promise<SessionInfo> {
    let session: SessionInfo | undefined;
    await expect
      .poll(
        async () => {
          const response = await this.request.get(`${this.baseURL}${apiPaths.session(id)}`);
          if (response.status() !== 200) return `status ${response.status()}`;
          session = (await response.json()) as SessionInfo;
          return session.instances.find((candidate) => candidate.name === instance)?.state ?? 'missing';
        },
        { timeout: timeoutMs, intervals: [250, 500, 1000] },
      )
      .toBe('running');
    return session!;
  }

  /** Watches a page's responses so sessions it creates (Start buttons) are recorded. */
  watch(response: Response): void {
    const url = new URL(response.url());
    // A session: made by a Start button, or a learner's seat in a class.
    const created = response.request().method() === 'POST' && (url.pathname === apiPaths.sessions || /^\/api\/events\/[^/]+\/learners$/.test(url.pathname)) && response.status() === 201;
    // A place in the waiting line turns into a session in the answer to a poll.
    const admitted = url.pathname.startsWith('/api/waiting-room') && response.status() < 300 && response.request().method() !== 'DELETE';
    if (!created && !admitted) return;
    const parsing = response
      .json()
      .then((body: SessionInfo & { session?: SessionInfo }) => {
        const id = created ? body.id : body.session?.id;
        if (id) this.track(id, url.origin);
      })
      .catch(() => undefined)
      .finally(() => this.#pending.delete(parsing));
    this.#pending.add(parsing);
  }

  /** Deletes every recorded session; 204 and 404 both mean it is gone. Returns what went wrong. */
  async deleteAll(): Promise<string[]> {
    await Promise.allSettled([...this.#pending]);
    const problems: string[] = [];
    for (const { origin, id } of this.#tracked.values()) {
      try {
        const response = await this.request.delete(`${origin}${apiPaths.session(id)}`, { timeout: 60_000 });
        if (response.status() !== 204 && response.status() !== 404) {
          problems.push(`DELETE ${origin}/api/sessions/<id> answered ${response.status()}: ${await response.text()}`);
        }
      } catch (error) {
        problems.push(`DELETE ${origin}/api/sessions/<id> failed: ${(error as Error).message}`);
      }
    }
    this.#tracked.clear();
    return problems;
  }
}

async function attachDockerState(testInfo: TestInfo): Promise<void> {
  for (const [name, read] of [
    ['docker ps -a (managed containers)', describeManagedContainers],
    ['managed container logs', () => managedContainerLogs()],
  ] as const) {
    let body: string;
    try {
      body = await read();
    } catch (error) {
      body = `Could not ask Docker: ${(error as Error).message}\n`;
    }
    await testInfo.attach(name, { body, contentType: 'text/plain' });
  }
}

export const test = base.extend<{ sessions: SessionTracker }>({
  sessions: [
    async ({ page, request, baseURL }, use, testInfo) => {
      if (!baseURL) throw new Error('The project needs a baseURL (see playwright.config.ts).');
      const tracker = new SessionTracker(request, baseURL);
      const onResponse = (response: Response) => tracker.watch(response);
      page.on('response', onResponse);
      try {
        await use(tracker);
      } finally {
        page.off('response', onResponse);
        if (testInfo.status !== testInfo.expectedStatus) await attachDockerState(testInfo);
        const problems = await tracker.deleteAll();
        if (problems.length > 0) {
          await testInfo.attach('session clean-up problems', { body: problems.join('\n'), contentType: 'text/plain' });
          if (testInfo.status === testInfo.expectedStatus) throw new Error(`Session clean-up failed:\n${problems.join('\n')}`);
        }
      }
    },
    { auto: true },
  ],
});

export { expect };
