import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Playground, PlaygroundOverrides } from '../main';
import { startFakePlayground, type FakePlayground } from '../testing/fake-playground';
import { EngineUnavailableError, InstanceNotRunningError, NotASwarmManagerError } from '../errors';
import { CloseCode } from '../protocol/terminal-protocol';
import { FakeDriver } from '../sandbox/fake-driver';
import { sessionKey } from '../sessions/session-key';

// The HTTP API, the terminal protocol, admission and the reaper of a whole playground, on the fake
// driver: no engine, so these run in the unit layer. The integration layer proves the real thing.

const WELL_FORMED_UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface Started {
  playground: Playground;
  driver: FakeDriver;
  advance(ms: number): void;
}

const running: FakePlayground[] = [];
afterEach(async () => {
  for (const fake of running.splice(0)) await fake.stop();
});

async function start(env: Record<string, string> = {}, overrides: Pick<PlaygroundOverrides, 'swarmMembers'> = {}): Promise<Started> {
  const fake = await startFakePlayground(env, overrides);
  running.push(fake);
  return fake;
}

async function call(playground: Playground, method: string, url: string, body?: unknown) {
  const response = await fetch(playground.url + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

function openTerminal(playground: Playground, id: string, instance = 'node1') {
  const socket = new WebSocket(`${playground.url.replace('http', 'ws')}/api/sessions/${id}/instances/${instance}/terminal`, {
    headers: { origin: playground.url },
  });
  const output: Buffer[] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) output.push(data as Buffer);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { socket, output: () => Buffer.concat(output).toString(), closed };
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the playground on the fake driver', () => {
  it('creates, describes and deletes a session; a second DELETE and unknown ids are 404 with a code and a request id', async () => {
    const { playground, driver } = await start();
    const created = await call(playground, 'POST', '/api/sessions');
    expect(created.status).toBe(201);
    expect(created.json.instances.map((instance: { name: string }) => instance.name)).toEqual(['node1']);
    expect((await call(playground, 'GET', `/api/sessions/${created.json.id}`)).json.id).toBe(created.json.id);

    expect((await call(playground, 'DELETE', `/api/sessions/${created.json.id}`)).status).toBe(204);
    expect(driver.removedSessions).toHaveLength(1);
    for (const id of [created.json.id, WELL_FORMED_UNKNOWN_ID, 'not-an-id']) {
      const gone = await call(playground, 'DELETE', `/api/sessions/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.json.error).toMatchObject({ code: 'session_not_found', requestId: expect.any(String) });
    }
  });

  it('bridges a terminal: output reaches the socket, input reaches the shell; an unknown session closes with 4404', async () => {
    const { playground, driver } = await start();
    const { json: session } = await call(playground, 'POST', '/api/sessions');
    const terminal = openTerminal(playground, session.id);
    await until('the shell to open', () => driver.shells.length === 1);
    driver.shells[0]!.shell.emit('[node1] ~ # ');
    await until('the prompt on the socket', () => terminal.output().includes('[node1] ~ # '));
    terminal.socket.send(JSON.stringify({ type: 'input', data: 'echo hi\r' }));
    await until('the input in the shell', () => driver.shells[0]!.shell.written.join('').includes('echo hi\r'));
    terminal.socket.close();

    const unknown = openTerminal(playground, WELL_FORMED_UNKNOWN_ID);
    expect((await unknown.closed).code).toBe(CloseCode.notFound);
  });

  it('a terminal the driver cannot open closes with the close code its error carries; a sandbox stopped from outside shows as stopped', async () => {
    const { playground, driver } = await start();
    const { json: session } = await call(playground, 'POST', '/api/sessions');
    driver.failShellWith = new EngineUnavailableError('connect ECONNREFUSED');
    expect(await openTerminal(playground, session.id).closed).toEqual({ code: CloseCode.engineUnavailable, reason: 'engine unavailable' });

    driver.failShellWith = new InstanceNotRunningError();
    expect(await openTerminal(playground, session.id).closed).toEqual({ code: 1011, reason: 'instance is not running' });
    expect((await call(playground, 'GET', `/api/sessions/${session.id}`)).json.instances[0].state).toBe('stopped');
  });

  it('tells the swarm\'s members to its trusted proxies only, and says so when its engine is not a manager', async () => {
    const members = [{ hostname: 'machine-1', address: '10.0.0.2', availability: 'active', state: 'ready', labels: {} }];
    const untrusted = await start({}, { swarmMembers: async () => members });
    const refused = await call(untrusted.playground, 'GET', '/api/node/swarm');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('not_a_trusted_proxy');

    const trusted = await start({ TRUSTED_PROXIES: '127.0.0.1' }, { swarmMembers: async () => members });
    const told = await call(trusted.playground, 'GET', '/api/node/swarm');
    expect(told.status).toBe(200);
    expect(told.json).toEqual({ members });

    const worker = await start({ TRUSTED_PROXIES: '127.0.0.1' }, {
      swarmMembers: async () => {
        throw new NotASwarmManagerError('This node is not a swarm manager');
      },
    });
    const notManager = await call(worker.playground, 'GET', '/api/node/swarm');
    expect(notManager.status).toBe(409);
    expect(notManager.json.error.code).toBe('not_a_swarm_manager');
  });

  it('tells its trusted proxies how many sessions the asking visitor has here, and the cap', async () => {
    const untrusted = await start({ MAX_SESSIONS_PER_CLIENT: '3' });
    expect((await call(untrusted.playground, 'GET', '/api/node/client')).status).toBe(403);
    const trusted = await start({ MAX_SESSIONS_PER_CLIENT: '3', TRUSTED_PROXIES: '127.0.0.1' });
    expect((await call(trusted.playground, 'GET', '/api/node/client')).json).toEqual({ sessions: 0, maxSessionsPerClient: 3 });
    await call(trusted.playground, 'POST', '/api/sessions');
    expect((await call(trusted.playground, 'GET', '/api/node/client')).json).toEqual({ sessions: 1, maxSessionsPerClient: 3 });
  });

  it('hands a place in its line over to its trusted proxies only, once', async () => {
    const untrusted = await start({ MAX_SESSIONS: '1' });
    await call(untrusted.playground, 'POST', '/api/sessions');
    const joined = await call(untrusted.playground, 'POST', '/api/waiting-room');
    expect(joined.status).toBe(202);
    const refused = await call(untrusted.playground, 'POST', `/api/waiting-room/${joined.json.ticket}/hand-over`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('not_a_trusted_proxy');
    expect(untrusted.playground.waitingRoom.length).toBe(1);

    const trusted = await start({ MAX_SESSIONS: '1', TRUSTED_PROXIES: '127.0.0.1' });
    await call(trusted.playground, 'POST', '/api/sessions');
    const ticket = (await call(trusted.playground, 'POST', '/api/waiting-room', { template: 'swarm-1m1w' })).json.ticket;
    const handed = await call(trusted.playground, 'POST', `/api/waiting-room/${ticket}/hand-over`);
    expect(handed.status).toBe(200);
    expect(handed.json).toEqual({ request: { template: 'swarm-1m1w' }, instances: 2 });
    expect(trusted.playground.waitingRoom.length).toBe(0);
    expect((await call(trusted.playground, 'POST', `/api/waiting-room/${ticket}/hand-over`)).status).toBe(404);
  });

  it('names its node in every session, and tells a front its room and which sessions it holds', async () => {
    const { playground } = await start({ NODE_NAME: 'node-a', MAX_SESSIONS: '4', MAX_TOTAL_INSTANCES: '6', MEMORY_RESERVE: '0' });
    const before = await call(playground, 'GET', '/api/node');
    expect(before.json).toMatchObject({ node: 'node-a', status: 'ok', sessions: 0, instances: 0, freeSessions: 4, freeInstances: 6 });
    const { json: session } = await call(playground, 'POST', '/api/sessions');
    expect(session.node).toBe('node-a');
    expect((await call(playground, 'GET', '/api/node')).json).toMatchObject({ sessions: 1, instances: 1, freeSessions: 4 - 1, freeInstances: 6 - 1 });
    expect((await call(playground, 'GET', `/api/node/sessions/${session.previewKey}`)).status).toBe(204);
    expect((await call(playground, 'GET', `/api/node/sessions/${'k'.repeat(32)}`)).status).toBe(404);
    await call(playground, 'DELETE', `/api/sessions/${session.id}`);
    expect((await call(playground, 'GET', `/api/node/sessions/${session.previewKey}`)).status).toBe(404);
  });

  it('admission: past MAX_SESSIONS a new session is 503 at_capacity with Retry-After', async () => {
    const { playground } = await start({ MAX_SESSIONS: '1', MAX_SESSIONS_PER_CLIENT: '0' });
    expect((await call(playground, 'POST', '/api/sessions')).status).toBe(201);
    const refused = await call(playground, 'POST', '/api/sessions');
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('at_capacity');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a session is unanswered until its id is handed out: by the 201, or by the waiting room to the visitor in line', async () => {
    const { playground } = await start({ MAX_SESSIONS: '1', MAX_SESSIONS_PER_CLIENT: '0' });
    const first = await call(playground, 'POST', '/api/sessions');
    expect(playground.sessions.wasUnanswered(sessionKey(first.json.id))).toBe(false);

    const joined = await call(playground, 'POST', '/api/waiting-room');
    expect(joined.status).toBe(202);
    expect((await call(playground, 'DELETE', `/api/sessions/${first.json.id}`)).status).toBe(204);
    // Admitted as room frees: the session exists, but nobody has its id until the visitor asks.
    await until('the waiting visitor to be admitted', () => playground.sessions.list()[0]?.lifecycle === 'running');
    const waiting = playground.sessions.list()[0]!;
    expect(playground.sessions.wasUnanswered(waiting.key)).toBe(true);
    // Asking while the ticket is still being marked admitted just says "waiting": ask again.
    let admitted = await call(playground, 'GET', `/api/waiting-room/${joined.json.ticket}`);
    for (let tries = 0; admitted.json.state === 'waiting' && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      admitted = await call(playground, 'GET', `/api/waiting-room/${joined.json.ticket}`);
    }
    expect(admitted.json.state).toBe('admitted');
    expect(sessionKey(admitted.json.session.id)).toBe(waiting.key);
    expect(playground.sessions.wasUnanswered(waiting.key)).toBe(false);
  });

  it('the reaper removes a session once its time is up, and its terminal closes with 4410', async () => {
    const { playground, driver, advance } = await start({ SESSION_TTL: '10m' });
    const { json: session } = await call(playground, 'POST', '/api/sessions');
    const terminal = openTerminal(playground, session.id);
    await until('the shell to open', () => driver.shells.length === 1);

    advance(10 * 60_000);
    await playground.reaper.tick();
    expect((await terminal.closed).code).toBe(CloseCode.sessionEnded);
    expect(driver.removedSessions).toHaveLength(1);
    expect((await call(playground, 'GET', `/api/sessions/${session.id}`)).status).toBe(404);
  });
});
