import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, createSession, execIn, startTestPlayground, waitFor } from './harness';

/** A raw HTTP/1.1 exchange with the playground server, so the Host header and request line are ours. */
function rawRequest(playground: Playground, head: string, body = '', waitMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(playground.port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('connect', () => socket.write(head + body));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

function get(playground: Playground, path: string, host?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: playground.port, path, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('published ports and the preview proxy', () => {
  let playground: Playground;
  let id: string;
  let key: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    const session = await createSession(playground);
    id = session.id;
    key = session.previewKey;
    const started = await execIn(
      playground,
      id,
      "docker run -d --name web -p 8080:80 busybox sh -c 'mkdir -p /www && echo preview-works > /www/index.html && httpd -f -p 80 -h /www'",
    );
    expect(started.exitCode).toBe(0);
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('lists a port published inside the instance within seconds', async () => {
    const ports = await waitFor('port 8080 in the session', async () => {
      const { json } = await api(playground, 'GET', `/api/sessions/${id}`);
      return json.instances[0].ports.includes(8080) ? json.instances[0].ports : false;
    }, 15_000);
    expect(ports).toContain(8080);
  });

  it('serves it through the path form, sandboxed, with a redirect to the trailing slash', async () => {
    const page = await get(playground, `/p/${key}/node1/8080/`);
    expect(page.status).toBe(200);
    expect(page.body.trim()).toBe('preview-works');
    expect(String(page.headers['content-security-policy'])).toMatch(/^sandbox allow-scripts/);
    const bare = await get(playground, `/p/${key}/node1/8080`);
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe(`/p/${key}/node1/8080/`);
  });

  it('serves it through the host form', async () => {
    const page = await get(playground, '/', `node1-8080-${key}.localhost:${playground.port}`);
    expect(page.status).toBe(200);
    expect(page.body.trim()).toBe('preview-works');
    expect(page.headers['content-security-policy']).toBeUndefined();
  });

  it('carries an upgraded connection (a WebSocket) both ways', async () => {
    // A one-shot server in the instance: answers the upgrade, then records what the client sends.
    const listener = execIn(
      playground,
      id,
      "(printf 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\nHELLO-FROM-INSTANCE'; sleep 3) | timeout 20 nc -l -p 9000 > /tmp/got; cat /tmp/got",
      30_000,
    );
    await waitFor('port 9000', async () => (await api(playground, 'GET', `/api/sessions/${id}`)).json.instances[0].ports.includes(9000), 15_000);
    const answer = await rawRequest(
      playground,
      `GET /p/${key}/node1/9000/chat HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      'PING-FROM-CLIENT',
      2_500,
    );
    expect(answer).toMatch(/^HTTP\/1.1 101 Switching Protocols/);
    expect(answer).toContain('HELLO-FROM-INSTANCE');
    const received = (await listener).stdout;
    expect(received).toMatch(/^GET \/chat HTTP\/1.1/);
    expect(received).toMatch(/upgrade: websocket/i);
    expect(received).toContain('PING-FROM-CLIENT');
  });

  it('keeps the playground’s cookies away from path-form previews, and lets host-form ones keep their own', async () => {
    // One-shot servers in the instance: each records the request it gets and answers with a cookie
    // and a Clear-Site-Data that would wipe the playground's storage.
    const listen = (port: number) =>
      execIn(
        playground,
        id,
        `(printf 'HTTP/1.1 200 OK\\r\\nSet-Cookie: app=1; Path=/\\r\\nClear-Site-Data: "cookies"\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\napp'; sleep 2) | timeout 20 nc -l -p ${port} > /tmp/got-${port}; cat /tmp/got-${port}`,
        30_000,
      );
    const ask = async (head: string, port: number) => {
      await waitFor(`port ${port}`, async () => (await api(playground, 'GET', `/api/sessions/${id}`)).json.instances[0].ports.includes(port), 15_000);
      return rawRequest(playground, head, '', 4_000);
    };

    const pathListener = listen(9101);
    const pathAnswer = await ask(`GET /p/${key}/node1/9101/ HTTP/1.1\r\nHost: localhost\r\nCookie: playground=secret\r\nConnection: close\r\n\r\n`, 9101);
    expect(pathAnswer).toMatch(/^HTTP\/1.1 200 /);
    expect(pathAnswer).toMatch(/\r\n\r\napp$/);
    expect(pathAnswer).not.toMatch(/set-cookie|clear-site-data/i);
    const pathRequest = (await pathListener).stdout;
    expect(pathRequest).toMatch(/^GET \/ HTTP\/1.1/);
    expect(pathRequest).not.toMatch(/cookie|secret/i);

    const hostListener = listen(9102);
    const hostAnswer = await ask(`GET / HTTP/1.1\r\nHost: node1-9102-${key}.localhost\r\nCookie: app=0\r\nConnection: close\r\n\r\n`, 9102);
    expect(hostAnswer).toMatch(/^HTTP\/1.1 200 /);
    expect(hostAnswer).toMatch(/\r\nset-cookie: app=1; Path=\/\r\n/i);
    expect(hostAnswer).not.toMatch(/clear-site-data/i);
    expect((await hostListener).stdout).toMatch(/\r\ncookie: app=0\r\n/i);
  });

  it('never forwards anywhere but the session’s own instances', async () => {
    const other = await createSession(playground);
    // Another session's instance is not reachable under this session's key, and vice versa.
    expect((await get(playground, `/p/${key}/node2/8080/`)).status).toBe(404);
    expect((await get(playground, `/p/${other.previewKey}/node1/8080/`)).body).toMatch(/Nothing is listening on port 8080 in node1/);
    expect((await get(playground, `/p/${'0'.repeat(32)}/node1/8080/`)).status).toBe(404);
    for (const port of ['0', '70000', 'ssh']) expect((await get(playground, `/p/${key}/node1/${port}/`)).status).toBe(400);
    // An absolute-URI request line or a forged X-Forwarded-Host changes nothing: the target is the instance.
    const absolute = await rawRequest(
      playground,
      `GET http://127.0.0.1:${playground.port}/api/health HTTP/1.1\r\nHost: node1-8080-${key}.localhost\r\nX-Forwarded-Host: node1-8080-${other.previewKey}.localhost\r\nConnection: close\r\n\r\n`,
    );
    expect(absolute).toMatch(/^HTTP\/1.1 200/);
    expect(absolute).toContain('preview-works');
    expect(absolute).not.toContain('"status"');
  });

  it('says when nothing listens on a port', async () => {
    const page = await get(playground, `/p/${key}/node1/9999/`);
    expect(page.status).toBe(502);
    expect(page.body).toMatch(/Nothing is listening on port 9999 in node1 \(yet\)/);
  });
});
