import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../config';
import { silentLogger } from '../log';
import { startPlayground, type Playground } from '../main';
import { apiPaths, websocketUrl } from '../protocol/api-paths';
import type { HealthBody, SessionInfo } from '../protocol/api-types';
import { CloseCode } from '../protocol/terminal-protocol';
import { FakeDriver } from '../sandbox/fake-driver';
import { loadFrontConfig } from './front-config';
import type { NodeEntry, NodeSource } from './node-source';
import { startFront, type Front } from './start-front';

// Two nodes on the fake driver behind one or two fronts: placement, routing by session, terminals
// through the front, a lost node. No engine: the cluster layer proves it on real engines.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function node(name: string, env: Record<string, string> = {}): Promise<{ playground: Playground; driver: FakeDriver }> {
  const dir = await mkdtemp(path.join(tmpdir(), `front-${name}-`));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    WARM_POOL: '0',
    REGISTRY_CACHE: 'off',
    SECRET_FILE: path.join(dir, 'secret'),
    PLAYGROUND_NAME: name,
    NODE_NAME: name,
    STATIC_DIR: dir,
    MAX_SESSIONS_PER_CLIENT: '0',
    MEMORY_RESERVE: '0',
    MAX_TOTAL_INSTANCES: '10',
    ...env,
  });
  const driver = new FakeDriver();
  const playground = await startPlayground(config, { driver, logger: silentLogger });
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await playground.close({ removeSessions: true });
    // Retried: a session's expiry record may still be written as its close finishes.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });
  const close = playground.close.bind(playground);
  playground.close = async (options) => {
    closed = true;
    await close(options);
  };
  return { playground, driver };
}

async function front(nodes: Playground[], source?: NodeSource): Promise<Front> {
  const started = await startFront(loadFrontConfig({ PORT: '0', HOST: '127.0.0.1', NODES: nodes.map((n) => n.url).join(','), NODE_POLL_INTERVAL: '100' }), {
    logger: silentLogger,
    source,
  });
  cleanups.push(() => started.close());
  return started;
}

async function call(base: string, method: string, url: string, body?: unknown) {
  const response = await fetch(base + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a front before two nodes', () => {
  it('places each new session on the node with the most room, and shows both nodes in its health', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const entry = await front([a.playground, b.playground]);
    const health = (await call(entry.url, 'GET', apiPaths.health)).json as HealthBody;
    expect(health.status).toBe('ok');
    expect(health.nodes?.map((n) => [n.node, n.status])).toEqual([
      ['node-a', 'ok'],
      ['node-b', 'ok'],
    ]);
    const scrape = await (await fetch(entry.url + '/metrics')).text();
    expect(scrape).toMatch(/playground_node_up\{node="node-a"\} 1/);
    expect(scrape).toMatch(/playground_node_free_sessions\{node="node-b"\} \d+/);
    const placed: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const created = await call(entry.url, 'POST', apiPaths.sessions);
      expect(created.status).toBe(201);
      placed.push((created.json as SessionInfo).node);
    }
    // Equal room: the tie goes by name, then the other node has more room, and so on.
    expect(placed).toEqual(['node-a', 'node-b', 'node-a', 'node-b']);
    expect(a.playground.sessions.list()).toHaveLength(2);
    expect(b.playground.sessions.list()).toHaveLength(2);
  });

  it('routes a session\'s calls and terminal to its node, through any front, and its 404 after DELETE', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const first = await front([a.playground, b.playground]);
    const second = await front([a.playground, b.playground]);
    await call(first.url, 'POST', apiPaths.sessions); // node-a
    const { json: session } = (await call(first.url, 'POST', apiPaths.sessions)) as { json: SessionInfo };
    expect(session.node).toBe('node-b');

    // The second front never saw it made: it finds it by asking the nodes.
    const seen = await call(second.url, 'GET', apiPaths.session(session.id));
    expect(seen.status).toBe(200);
    expect(seen.json.node).toBe('node-b');

    const socket = new WebSocket(websocketUrl(second.url, apiPaths.terminal(session.id, 'node1')), { headers: { origin: second.url } });
    const output: Buffer[] = [];
    socket.on('message', (data, isBinary) => {
      if (isBinary) output.push(data as Buffer);
    });
    await until('the shell on node-b', () => b.driver.shells.length === 1);
    expect(a.driver.shells).toHaveLength(0);
    b.driver.shells[0]!.shell.emit('[node1] ~ # ');
    await until('the prompt through the front', () => Buffer.concat(output).toString().includes('[node1] ~ # '));
    socket.send(JSON.stringify({ type: 'input', data: 'docker ps\r' }));
    await until('the input on node-b', () => b.driver.shells[0]!.shell.written.join('').includes('docker ps\r'));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

    expect((await call(second.url, 'DELETE', apiPaths.session(session.id))).status).toBe(204);
    expect(await closed).toBe(CloseCode.sessionEnded);
    const gone = await call(first.url, 'GET', apiPaths.session(session.id));
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('session_not_found');
  });

  it('an unknown session is 404 in the nodes\' words, and its terminal closes with 4404', async () => {
    const a = await node('node-a');
    const entry = await front([a.playground]);
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
    expect((await call(entry.url, 'GET', apiPaths.session(unknown))).json.error.code).toBe('session_not_found');
    expect((await call(entry.url, 'GET', apiPaths.session('not-an-id'))).status).toBe(404);
    const socket = new WebSocket(websocketUrl(entry.url, apiPaths.terminal(unknown, 'node1')), { headers: { origin: entry.url } });
    expect(await new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))).toBe(CloseCode.notFound);
  });

  it('a saved session is found on the node that saved it: read, started from (there, whatever the room elsewhere) and deleted through the front', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const entry = await front([a.playground, b.playground]);
    await call(entry.url, 'POST', apiPaths.sessions); // node-a
    const { json: session } = (await call(entry.url, 'POST', apiPaths.sessions)) as { json: SessionInfo };
    expect(session.node).toBe('node-b');
    await call(entry.url, 'POST', apiPaths.sessions); // node-a again: node-b has more room now
    const saving = await call(entry.url, 'POST', apiPaths.save(session.id));
    expect(saving.status).toBe(201);
    const savedId = saving.json.id as string;

    expect((await call(entry.url, 'GET', apiPaths.saved(savedId))).json).toMatchObject({ id: savedId, instances: ['node1'] });
    for (let i = 0; i < 2; i += 1) {
      const started = await call(entry.url, 'POST', apiPaths.sessions, { saved: savedId });
      expect(started.status).toBe(201);
      expect((started.json as SessionInfo).node).toBe('node-b');
    }
    expect((await call(entry.url, 'DELETE', apiPaths.saved(savedId))).status).toBe(204);
    const gone = await call(entry.url, 'POST', apiPaths.sessions, { saved: savedId });
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('saved_not_found');
    expect((await call(entry.url, 'GET', apiPaths.saved(savedId))).status).toBe(404);
  });

  it('a lost node: its sessions are said to be lost, in words; new sessions go to the node left', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const entry = await front([a.playground, b.playground]);
    const { json: onA } = (await call(entry.url, 'POST', apiPaths.sessions)) as { json: SessionInfo };
    expect(onA.node).toBe('node-a');
    await a.playground.close();
    await until('the front to see node-a gone', async () => ((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes![0]!.status === 'unreachable');

    const lost = await call(entry.url, 'GET', apiPaths.session(onA.id));
    expect(lost.status).toBe(502);
    expect(lost.json.error.code).toBe('node_unreachable');
    expect(lost.json.error.message).toMatch(/machine that holds this session \(node-a\) cannot be reached/);

    expect(((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes![0]).toMatchObject({ node: 'node-a', status: 'unreachable' });
    for (let i = 0; i < 2; i += 1) {
      const created = await call(entry.url, 'POST', apiPaths.sessions);
      expect(created.status).toBe(201);
      expect(created.json.node).toBe('node-b');
    }
  });

  it('a node drained in the cluster gets no new sessions and keeps serving the ones it has', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    let entries: NodeEntry[] = [
      { url: a.playground.url, accepting: true },
      { url: b.playground.url, accepting: true },
    ];
    const entry = await front([a.playground, b.playground], async () => entries);
    await call(entry.url, 'POST', apiPaths.sessions); // node-a
    const { json: onB } = (await call(entry.url, 'POST', apiPaths.sessions)) as { json: SessionInfo };
    expect(onB.node).toBe('node-b');

    entries = [entries[0]!, { url: b.playground.url, accepting: false, note: 'drain in Swarm' }];
    await until('the front to see node-b drained', async () => ((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes![1]!.accepting === false);
    for (let i = 0; i < 3; i += 1) expect((await call(entry.url, 'POST', apiPaths.sessions)).json.node).toBe('node-a');
    expect((await call(entry.url, 'GET', apiPaths.session(onB.id))).json.node).toBe('node-b');
    expect(((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes![1]).toMatchObject({ node: 'node-b', status: 'ok', note: 'drain in Swarm' });
  });

  it('a session slow to make is waited for on its node, never made a second time elsewhere', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const entry = await front([a.playground, b.playground]);
    // Longer than the front's connect timeout (5 s): only connecting is timed, not the answer.
    a.driver.startGate = new Promise((resolve) => setTimeout(resolve, 6_000));
    const created = await call(entry.url, 'POST', apiPaths.sessions);
    expect(created.status).toBe(201);
    expect(created.json.node).toBe('node-a');
    expect(b.playground.sessions.list()).toHaveLength(0);
  }, 15_000);

  it('a full cluster puts the visitor in a node\'s line through the front; the ticket is found and admitted there', async () => {
    const a = await node('node-a', { MAX_SESSIONS: '1' });
    const b = await node('node-b', { MAX_SESSIONS: '1' });
    const entry = await front([a.playground, b.playground]);
    const first = (await call(entry.url, 'POST', apiPaths.sessions)).json as SessionInfo;
    await call(entry.url, 'POST', apiPaths.sessions);
    const full = await call(entry.url, 'POST', apiPaths.sessions);
    expect(full.status).toBe(503);
    expect(full.json.error.code).toBe('at_capacity');

    const joined = await call(entry.url, 'POST', apiPaths.waitingRoom);
    expect(joined.status).toBe(202);
    const ticket = joined.json.ticket as string;
    expect((await call(entry.url, 'GET', apiPaths.ticket(ticket))).json.state).toBe('waiting');
    expect((await call(entry.url, 'GET', apiPaths.ticket('no-such-ticket'))).status).toBe(404);

    await call(entry.url, 'DELETE', apiPaths.session(first.id));
    const admitted = await (async () => {
      for (let i = 0; i < 100; i += 1) {
        const status = await call(entry.url, 'GET', apiPaths.ticket(ticket));
        if (status.json.state === 'admitted') return status.json;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('never admitted');
    })();
    expect((await call(entry.url, 'GET', apiPaths.session(admitted.session.id))).status).toBe(200);
  });

  it('the line is the cluster\'s: kept by one node, its head is started on whichever node frees first', async () => {
    // The fronts are the nodes' trusted proxies (here: loopback), as they must be to hand places over.
    const a = await node('node-a', { MAX_SESSIONS: '1', TRUSTED_PROXIES: '127.0.0.1' });
    const b = await node('node-b', { MAX_SESSIONS: '1', TRUSTED_PROXIES: '127.0.0.1' });
    const entry = await front([a.playground, b.playground]);
    await call(entry.url, 'POST', apiPaths.sessions);
    const onB = (await call(entry.url, 'POST', apiPaths.sessions)).json as SessionInfo;
    expect(onB.node).toBe('node-b');
    // Two visitors (one ticket per client: the nodes count them by X-Forwarded-For from the front).
    const join = async (client: string) => {
      const response = await fetch(entry.url + apiPaths.waitingRoom, { method: 'POST', headers: { 'x-forwarded-for': client } });
      return { status: response.status, json: (await response.json()) as { ticket: string } };
    };
    const first = await join('192.0.2.1');
    const second = await join('192.0.2.2');
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.ticket).not.toBe(first.json.ticket);
    // Both wait in the keeper's line (node-a, first by name), whichever front they came through.
    expect(a.playground.waitingRoom.length).toBe(2);
    expect(b.playground.waitingRoom.length).toBe(0);

    await call(entry.url, 'DELETE', apiPaths.session(onB.id));
    await until('the front to see room on node-b', async () => ((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes!.some((n) => n.node === 'node-b' && 'freeSessions' in n && n.freeSessions === 1));
    // The second in line asks first: not the head, so it keeps its place.
    expect((await call(entry.url, 'GET', apiPaths.ticket(second.json.ticket))).json).toMatchObject({ state: 'waiting', position: 2 });
    const head = await call(entry.url, 'GET', apiPaths.ticket(first.json.ticket));
    expect(head.status).toBe(200);
    expect(head.json).toMatchObject({ state: 'admitted', ticket: first.json.ticket });
    expect(head.json.session.node).toBe('node-b');
    expect((await call(entry.url, 'GET', apiPaths.session(head.json.session.id))).status).toBe(200);
    // Out of the keeper's line; the next is now its head.
    expect((await call(entry.url, 'GET', apiPaths.ticket(first.json.ticket))).status).toBe(404);
    expect((await call(entry.url, 'GET', apiPaths.ticket(second.json.ticket))).json).toMatchObject({ state: 'waiting', position: 1 });
  });

  it('MAX_SESSIONS_PER_CLIENT counts the visitor\'s sessions on every node, not on one', async () => {
    const caps = { MAX_SESSIONS_PER_CLIENT: '2', TRUSTED_PROXIES: '127.0.0.1' };
    const a = await node('node-a', caps);
    const b = await node('node-b', caps);
    const entry = await front([a.playground, b.playground]);
    const start = (client: string) => fetch(entry.url + apiPaths.sessions, { method: 'POST', headers: { 'x-forwarded-for': client } });
    const placed = [await start('192.0.2.7'), await start('192.0.2.7')];
    expect(placed.map((response) => response.status)).toEqual([201, 201]);
    // One on each node: either node alone would still let a second one in.
    expect([a.playground.sessions.list().length, b.playground.sessions.list().length]).toEqual([1, 1]);
    const third = await start('192.0.2.7');
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'too_many_sessions', message: expect.stringContaining('2 sessions open') });
    expect((await start('192.0.2.8')).status).toBe(201); // another visitor is not held back
  });

  it('a keeper that does not trust the front keeps its line: the place is not handed over', async () => {
    const a = await node('node-a', { MAX_SESSIONS: '1' });
    const b = await node('node-b', { MAX_SESSIONS: '1' });
    const entry = await front([a.playground, b.playground]);
    await call(entry.url, 'POST', apiPaths.sessions);
    const onB = (await call(entry.url, 'POST', apiPaths.sessions)).json as SessionInfo;
    const joined = await call(entry.url, 'POST', apiPaths.waitingRoom);
    await call(entry.url, 'DELETE', apiPaths.session(onB.id));
    await until('the front to see room on node-b', async () => ((await call(entry.url, 'GET', apiPaths.health)).json as HealthBody).nodes!.some((n) => n.node === 'node-b' && 'freeSessions' in n && n.freeSessions === 1));
    expect((await call(entry.url, 'GET', apiPaths.ticket(joined.json.ticket))).json).toMatchObject({ state: 'waiting', position: 1 });
    expect(a.playground.waitingRoom.length).toBe(1);
    expect(b.playground.sessions.list()).toHaveLength(0);
  });

  it('refuses a name it is not served under, and a new session\'s oversized body, in words', async () => {
    const a = await node('node-a');
    const entry = await front([a.playground]);
    // fetch cannot set Host: a plain request, as a rebound DNS name would arrive.
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpGet(entry.url + apiPaths.health, { headers: { host: 'attacker.example' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).error.code).toBe('misdirected_host');
    const oversized = await call(entry.url, 'POST', apiPaths.sessions, { workshop: 'x'.repeat(70_000) });
    expect(oversized.status).toBe(413);
    expect(oversized.json.error.code).toBe('payload_too_large');
    expect(a.playground.sessions.list()).toHaveLength(0);
  });

  it('a terminal of a lost node\'s session is refused with 502 at the upgrade', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const entry = await front([a.playground, b.playground]);
    const { json: onA } = (await call(entry.url, 'POST', apiPaths.sessions)) as { json: SessionInfo };
    await a.playground.close();
    const socket = new WebSocket(websocketUrl(entry.url, apiPaths.terminal(onA.id, 'node1')), { headers: { origin: entry.url } });
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(status).toBe(502);
  });

  it('with no node serving, a new session is 503 no_nodes, and health says so', async () => {
    const a = await node('node-a');
    const entry = await front([a.playground]);
    await a.playground.close();
    await until('the front to see it gone', async () => (await call(entry.url, 'GET', apiPaths.health)).status === 503);
    const refused = await call(entry.url, 'POST', apiPaths.sessions);
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('no_nodes');
  });
});
