import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionService } from '../sessions/session-service';
import { PreviewRouter, type PreviewLimits } from './preview-router';

// Preview WebSockets through the real proxy code, on loopback only: a stand-in app on 127.0.0.1
// plays the instance, and the session service is a fake that knows one instance there.

const KEY = 'a'.repeat(32);
const closers: Array<() => void> = [];
afterEach(() => {
  while (closers.length > 0) closers.pop()!();
});

/** An app that answers an upgrade with a cookie and then echoes; records the request heads it got. */
async function app(): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const server: NetServer = createServer((socket) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      heads.push(buffered.slice(0, end));
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSet-Cookie: app=1; Path=/\r\nClear-Site-Data: "cookies"\r\n\r\nHELLO');
      socket.pipe(socket);
    };
    socket.on('data', onData);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, heads };
}

async function playground(limits: PreviewLimits): Promise<number> {
  const sessions = {
    getByKey: (key: string) => {
      if (key !== KEY) throw new Error('unknown');
      return { instances: new Map([['node1', { ip: '127.0.0.1' }]]) };
    },
  } as unknown as SessionService;
  const router = new PreviewRouter(sessions, 'localhost', limits);
  const server: Server = createHttpServer();
  server.on('upgrade', (request, socket, head) => router.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

interface Client {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
}

function upgrade(port: number, appPort: number): Client {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`GET /p/${KEY}/node1/${appPort}/ws HTTP/1.1\r\nHost: localhost\r\nCookie: playground=secret\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
  closers.push(() => socket.destroy());
  return { socket, received: () => received, closed };
}

async function until(what: string, check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const roomy: PreviewLimits = { socketsPerSession: 32, socketIdleMs: 60_000 };

describe('preview WebSockets', () => {
  it('carry no playground cookie in, and no Set-Cookie or Clear-Site-Data out, on the path form', async () => {
    const instance = await app();
    const client = upgrade(await playground(roomy), instance.port);
    await until('the app’s greeting', () => client.received().includes('HELLO'));
    expect(client.received()).toMatch(/^HTTP\/1.1 101 Switching Protocols\r\n/);
    expect(client.received()).not.toMatch(/set-cookie|clear-site-data/i);
    expect(instance.heads[0]).toMatch(/^GET \/ws HTTP\/1.1/);
    expect(instance.heads[0]).not.toMatch(/cookie/i);
    client.socket.write('PING');
    await until('the echo', () => client.received().endsWith('HELLOPING'));
  });

  it('are closed after the idle time without traffic, and kept while traffic flows', async () => {
    const instance = await app();
    const port = await playground({ socketsPerSession: 32, socketIdleMs: 300 });
    const busy = upgrade(port, instance.port);
    const idle = upgrade(port, instance.port);
    await until('both greeted', () => busy.received().includes('HELLO') && idle.received().includes('HELLO'));
    const started = Date.now();
    let idleClosedAfter = 0;
    void idle.closed.then(() => (idleClosedAfter = Date.now() - started));
    // Traffic on one socket every 100 ms (bounded: 30 rounds), until the silent one is closed and
    // for a few idle periods more.
    let roundsAfterClose = 0;
    for (let i = 0; i < 30 && roundsAfterClose < 8; i++) {
      busy.socket.write('x');
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (idleClosedAfter > 0) roundsAfterClose += 1;
    }
    expect(idleClosedAfter).toBeGreaterThanOrEqual(250);
    expect(roundsAfterClose).toBe(8);
    expect(busy.socket.destroyed).toBe(false);
    await busy.closed; // silent from now on: closed too
  });

  it('are capped per session with a clear refusal, and a place frees when one closes', async () => {
    const instance = await app();
    const port = await playground({ socketsPerSession: 2, socketIdleMs: 60_000 });
    const first = upgrade(port, instance.port);
    const second = upgrade(port, instance.port);
    await until('both greeted', () => first.received().includes('HELLO') && second.received().includes('HELLO'));
    const third = upgrade(port, instance.port);
    await third.closed;
    expect(third.received()).toMatch(/^HTTP\/1.1 429 Too Many Requests\r\n/);
    expect(third.received()).toContain('already has 2 WebSockets open through its previews');
    first.socket.destroy();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the close
    const fourth = upgrade(port, instance.port);
    await until('the fourth greeted', () => fourth.received().includes('HELLO'));
  });
});
