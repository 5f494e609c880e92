import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { apiPaths } from '../../src/protocol/api-paths';
import type { SessionInfo } from '../../src/protocol/api-types';
import { api, execIn, startTestPlayground, waitFor } from './harness';

// Play-with-Docker's links (/?stack=<URL of a compose file>): the server fetches the file, makes a
// session, and deploys it on node1 with docker compose. The file is served on this machine's
// loopback, so the playground runs with STACK_LINKS=any (the default, public, refuses it: tested too).

const COMPOSE = `services:
  web:
    image: nginx
    ports:
      - "8080:80"
  cache:
    image: redis
`;

describe('stack links', () => {
  let files: Server;
  let base = '';
  let playground: Playground;
  let guarded: Playground;

  beforeAll(async () => {
    files = createServer((request, response) => {
      if (request.url === '/demo.yml') return response.end(COMPOSE);
      if (request.url === '/broken.yml') return response.end('services:\n  ghost:\n    image: no-such-image-anywhere\n');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    [playground, guarded] = await Promise.all([startTestPlayground({ STACK_LINKS: 'any' }), startTestPlayground()]);
  });
  afterAll(async () => {
    await Promise.all([playground?.close({ removeSessions: true }), guarded?.close({ removeSessions: true })]);
    await new Promise<void>((resolve) => files.close(() => resolve()));
  });

  it('a link deploys its compose file on node1: the services run, the file is there to read', async () => {
    const created = await api(playground, 'POST', apiPaths.sessions, { stack: `${base}/demo.yml`, stackName: 'demo' });
    expect(created.status).toBe(201);
    const session = created.json as SessionInfo;
    expect(session.stack).toMatchObject({ url: `${base}/demo.yml`, name: 'demo', state: 'deploying' });
    const ready = await waitFor('the stack to be up', async () => {
      const info = (await api(playground, 'GET', apiPaths.session(session.id))).json as SessionInfo;
      if (info.stack?.state === 'failed') throw new Error(info.stack.message);
      return info.stack?.state === 'ready' ? info.stack : undefined;
    }, 180_000);
    expect(ready.message).toBe('The stack demo is up on node1 (2 services running: cache, web); its compose file is in /root/demo');
    const inside = await execIn(playground, session.id, 'cat /root/demo/docker-compose.yml; curl -s -m 5 http://127.0.0.1:8080/ | grep -o "Welcome to nginx" | head -1');
    expect(inside.stdout).toContain('image: redis');
    expect(inside.stdout).toContain('Welcome to nginx');
  });

  it('a compose file that cannot run is said so, with compose\'s own words; the session stays for a look', async () => {
    const created = await api(playground, 'POST', apiPaths.sessions, { stack: `${base}/broken.yml` });
    expect(created.status).toBe(201);
    const failed = await waitFor('the deployment to fail', async () => {
      const info = (await api(playground, 'GET', apiPaths.session(created.json.id))).json as SessionInfo;
      return info.stack?.state === 'failed' ? info.stack : undefined;
    }, 180_000);
    expect(failed.message).toMatch(/^The stack could not be deployed: .*ghost.*Error/);
  });

  it('a link that cannot be fetched makes no session and says why; by default this machine is never fetched from', async () => {
    const before = playground.sessions.list().length;
    const missing = await api(playground, 'POST', apiPaths.sessions, { stack: `${base}/gone.yml` });
    expect(missing.status).toBe(502);
    expect(missing.json.error).toEqual({ code: 'stack_unreachable', message: `The playground could not fetch the compose file at ${base}/gone.yml: the server there answered 404. No session was started.`, requestId: expect.any(String) });
    expect(playground.sessions.list().length).toBe(before);

    const refused = await api(guarded, 'POST', apiPaths.sessions, { stack: `${base}/demo.yml` });
    expect(refused.status).toBe(502);
    expect(refused.json.error.message).toContain('127.0.0.1 is not a public address (STACK_LINKS=public)');
    expect(guarded.sessions.list()).toHaveLength(0);
    const both = await api(playground, 'POST', apiPaths.sessions, { stack: `${base}/demo.yml`, workshop: 'docker-101' });
    expect(both.status).toBe(400);
  });
});
