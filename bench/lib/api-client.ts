import { apiPaths, websocketUrl } from '../../server/src/protocol/api-paths';
import type { ExecResult, SavedSessionInfo, SessionInfo } from '../../server/src/protocol/api-types';
import { withTimeout } from './time';

/**
 * The playground's HTTP API as the benchmarks use it. Remembers every session it created (or was
 * told about with track) until it is deleted, so deleteAll() can always clean up.
 */
export class ApiClient {
  readonly #live = new Set<string>();

  constructor(readonly baseUrl: string) {}

  async #request(method: string, path: string, body?: unknown, timeoutMs = 120_000): Promise<Response> {
    return withTimeout(
      fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      timeoutMs,
      `${method} ${path.replace(/sessions\/[^/]+/, 'sessions/<id>')}`,
    );
  }

  /** POST /api/sessions; `wanted`: its body (a template, a workshop, a saved session to start from). */
  async createSession(wanted: Record<string, unknown> = {}): Promise<SessionInfo> {
    const response = await this.#request('POST', apiPaths.sessions, wanted);
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}: ${text}`);
    const session = JSON.parse(text) as SessionInfo;
    this.#live.add(session.id);
    return session;
  }

  /** Remembers a session made elsewhere (by the browser), so deleteAll() removes it too. */
  track(id: string): void {
    this.#live.add(id);
  }

  /** Deletes a session; a session that is already gone counts as deleted. */
  async deleteSession(id: string): Promise<void> {
    const response = await this.#request('DELETE', apiPaths.session(id), undefined, 90_000);
    await response.arrayBuffer();
    if (response.status !== 204 && response.status !== 404) {
      throw new Error(`DELETE /api/sessions/<id> answered ${response.status}`);
    }
    this.#live.delete(id);
  }

  async exec(id: string, instance: string, cmd: string[], timeoutMs = 30_000): Promise<ExecResult> {
    const response = await this.#request(
      'POST',
      apiPaths.exec(id, instance),
      { cmd, timeoutMs },
      timeoutMs + 30_000,
    );
    const text = await response.text();
    if (response.status !== 200) throw new Error(`exec answered ${response.status}: ${text}`);
    return JSON.parse(text) as ExecResult;
  }

  /** POST /api/sessions/{id}/save: the saved session. */
  async saveSession(id: string): Promise<SavedSessionInfo> {
    const response = await this.#request('POST', apiPaths.save(id), undefined, 600_000);
    const text = await response.text();
    if (response.status !== 201) throw new Error(`save answered ${response.status}: ${text}`);
    return JSON.parse(text) as SavedSessionInfo;
  }

  async deleteSaved(savedId: string): Promise<void> {
    const response = await this.#request('DELETE', apiPaths.saved(savedId));
    await response.arrayBuffer();
    if (response.status !== 204 && response.status !== 404) throw new Error(`DELETE /api/saved/<id> answered ${response.status}`);
  }

  terminalUrl(id: string, instance = 'node1'): string {
    return websocketUrl(this.baseUrl, apiPaths.terminal(id, instance));
  }

  get liveCount(): number {
    return this.#live.size;
  }

  /** Deletes every session still remembered, four at a time. Returns the errors, if any. */
  async deleteAll(): Promise<string[]> {
    const errors: string[] = [];
    const ids = [...this.#live];
    for (let i = 0; i < ids.length; i += 4) {
      await Promise.all(
        ids.slice(i, i + 4).map((id) => this.deleteSession(id).catch((error: Error) => errors.push(error.message))),
      );
    }
    return errors;
  }
}
