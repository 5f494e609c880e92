import { connect } from 'node:net';
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

describe('the Host allow-list (DNS rebinding)', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('answers a name it is not served under with 421 and a sentence, before anything is made', async () => {
    const answer = await rawExchange(playground.port, 'POST /api/sessions HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1.1 421 Misdirected Request\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body.error.code).toBe('misdirected_host');
    expect(body.error.message).toMatch(/not served under "evil.example".*ALLOWED_HOSTS/);
    expect(playground.sessions.usage().sessions).toBe(0);
    // A rebound name at the server's own port is refused the same; previews too.
    expect(await rawExchange(playground.port, `GET /api/health HTTP/1.1\r\nHost: evil.example:${playground.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1.1 421 /);
    expect(await rawExchange(playground.port, `GET /p/${'0'.repeat(32)}/node1/80/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1.1 421 /);
  });

  it('refuses a terminal upgrade under a foreign name with 421', async () => {
    const path = `/api/sessions/${'A'.repeat(22)}/instances/node1/terminal`;
    const answer = await rawExchange(
      playground.port,
      `GET ${path} HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 421 Misdirected Request\r\n/);
    expect(answer).toContain('misdirected_host');
  });

  it('answers localhost and 127.0.0.1 at any port', async () => {
    for (const host of ['localhost', `localhost:${playground.port}`, '127.0.0.1:1']) {
      expect(await rawExchange(playground.port, `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), host).toMatch(/^HTTP\/1.1 (200|503) /);
    }
  });
});

describe('admission under concurrent requests', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground({ MAX_TOTAL_INSTANCES: '3', MAX_SESSIONS: '10', MAX_INSTANCES: '5', SESSION_RATE_LIMIT: '0' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('admits exactly the cap of sessions started at once, the rest 503', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => api(playground, 'POST', '/api/sessions')));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 201, 503, 503]);
    expect(answers.find((answer) => answer.status === 503)!.json.error.code).toBe('at_capacity');
    expect(playground.sessions.usage()).toEqual({ sessions: 3, instances: 3 });
    for (const answer of answers) if (answer.status === 201) expect((await api(playground, 'DELETE', `/api/sessions/${answer.json.id}`)).status).toBe(204);
  });

  it('admits exactly the cap of instances added at once, the rest 503, and frees their places with them', async () => {
    const session = await createSession(playground);
    const answers = await Promise.all(Array.from({ length: 4 }, () => api(playground, 'POST', `/api/sessions/${session.id}/instances`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 503, 503]);
    expect(answers.find((answer) => answer.status === 503)!.json.error.message).toMatch(/full \(3 Docker hosts/);
    expect(playground.sessions.usage().instances).toBe(3);
    const added = answers.find((answer) => answer.status === 201)!.json.name;
    expect((await api(playground, 'DELETE', `/api/sessions/${session.id}/instances/${added}`)).status).toBe(204);
    expect((await api(playground, 'POST', `/api/sessions/${session.id}/instances`)).status).toBe(201);
  });
});

describe('per-client limits', () => {
  let playground: Playground;
  beforeAll(async () => {
    // 127.0.0.1 is a trusted proxy here, so X-Forwarded-For can stand for other clients.
    playground = await startTestPlayground({ MAX_SESSIONS_PER_CLIENT: '1', SESSION_RATE_LIMIT: '0', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('refuses a client’s session over MAX_SESSIONS_PER_CLIENT with 429, and admits it once one ends', async () => {
    const post = (forwardedFor: string) => fetch(`${playground.url}/api/sessions`, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } });
    const first = await post('198.51.100.7');
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };

    const again = await post('203.0.113.99, 198.51.100.7'); // a forged left entry changes nothing
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await again.json()) as any;
    expect(body.error.code).toBe('too_many_sessions');
    expect(body.error.message).toMatch(/already have 1 sessions open from your address/);

    const other = await post('198.51.100.8'); // another client is not affected
    expect(other.status).toBe(201);

    expect((await api(playground, 'DELETE', `/api/sessions/${id}`)).status).toBe(204);
    expect((await post('198.51.100.7')).status).toBe(201);
  });

  it('refuses an exec over the per-session cap with 429 and a sentence', async () => {
    const session = await createSession(playground);
    const exec = (script: string) => api(playground, 'POST', `/api/sessions/${session.id}/instances/node1/exec`, { cmd: ['sh', '-c', script], timeoutMs: 60_000 });
    await exec('true'); // Docker inside is up: the slow ones below only sleep
    const slow = Array.from({ length: 4 }, () => exec('sleep 4'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const over = await exec('echo one too many');
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe('busy');
    expect(over.json.error.message).toMatch(/already runs 4 commands through the API at once/);
    expect((await Promise.all(slow)).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect((await exec('echo room again')).json.stdout).toBe('room again\n');
  });
});

/** A raw HTTP/1.1 exchange (our own Host header), read until the server closes or 5 s pass. */
function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

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
