import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Playground } from '../../src/main';
import { api, createSession, labelledResources, startTestPlayground } from './harness';

// Admission (a global cap, a per-address rate) and the Origin check, against a real server.
describe('admission and the Origin check', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground({ MAX_SESSIONS: '2', SESSION_RATE_LIMIT: '3' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('refuses a foreign page with 403 before anything is made, and does not count it', async () => {
    const response = await fetch(`${playground.url}/api/sessions`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('forbidden_origin');
    expect(playground.sessions.usage().sessions).toBe(0);
  });

  it('answers 503 with a reason and Retry-After when full, and 429 when one address is too fast', async () => {
    const first = await createSession(playground);
    const second = await createSession(playground);

    const full = await fetch(`${playground.url}/api/sessions`, { method: 'POST' });
    expect(full.status).toBe(503);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
    const fullBody = (await full.json()) as any;
    expect(fullBody.error).toMatchObject({ code: 'at_capacity' });
    expect(fullBody.error.message).toMatch(/full \(2 sessions/);

    expect((await api(playground, 'DELETE', `/api/sessions/${second.id}`)).status).toBe(204);
    const third = await createSession(playground); // the third of three allowed a minute
    expect((await api(playground, 'DELETE', `/api/sessions/${third.id}`)).status).toBe(204);

    const tooFast = await fetch(`${playground.url}/api/sessions`, { method: 'POST' });
    expect(tooFast.status).toBe(429);
    const retryAfter = Number(tooFast.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const body = (await tooFast.json()) as any;
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/Too many new sessions from your address/);

    // Refusals made nothing, and the existing session still works.
    expect(playground.sessions.usage().sessions).toBe(1);
    expect(await labelledResources(second.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect((await api(playground, 'GET', `/api/sessions/${first.id}`)).status).toBe(200);
  });

  it('opens a terminal for the playground’s own origin and refuses a foreign one', async () => {
    const own = new URL(playground.url);
    const path = `/api/sessions/${encodeURIComponent('AAAAAAAAAAAAAAAAAAAAAA')}/instances/node1/terminal`;
    const foreign = await upgradeStatus(`${playground.url.replace('http', 'ws')}${path}`, 'http://evil.example');
    expect(foreign).toBe(403);
    // Same origin passes the check (the unknown session is then refused with 4404, after accept).
    const same = await upgradeStatus(`${playground.url.replace('http', 'ws')}${path}`, own.origin);
    expect(same).toBe(101);
  });
});

/** 101 when the upgrade was accepted, else the HTTP status the server answered. */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}
