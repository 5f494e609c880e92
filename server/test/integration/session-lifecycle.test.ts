import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, createSession, execIn, labelledResources, startTestPlayground, waitFor } from './harness';

describe('a session against the real engine', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('is healthy once engine, image and mirror are ready', async () => {
    const { status, json } = await api(playground, 'GET', '/api/health');
    expect(json).toEqual({ status: 'ok', sessionTtlSeconds: 4 * 3600 });
    expect(status).toBe(200);
  });

  it('creates a session with node1, which becomes running, and removes everything on DELETE', async () => {
    const session = await createSession(playground);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3 * 3_600_000);
    expect(session.instances).toHaveLength(1);
    expect(session.instances[0]).toMatchObject({ name: 'node1', hostname: 'node1' });
    expect(session.instances[0]!.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const running = await waitFor('node1 running', async () => {
      const { json } = await api(playground, 'GET', `/api/sessions/${session.id}`);
      return json.instances[0].state === 'running' ? json : undefined;
    }, 60_000);
    expect(running.id).toBe(session.id);
    // node1's sandbox and the session's own registry, each with its volume, on the session network.
    expect(await labelledResources(session.id)).toEqual({ containers: 2, networks: 1, volumes: 2 });

    const { status } = await api(playground, 'DELETE', `/api/sessions/${session.id}`);
    expect(status).toBe(204);
    expect(await labelledResources(session.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect((await api(playground, 'GET', `/api/sessions/${session.id}`)).status).toBe(404);
    expect((await api(playground, 'DELETE', `/api/sessions/${session.id}`)).status).toBe(404);
  });

  it('runs Docker inside: nested run from the mirror, build, volumes, networks, published ports', async () => {
    const session = await createSession(playground);
    const hi = await execIn(playground, session.id, 'docker run --rm busybox echo hello-from-nested');
    expect(hi.stderr).not.toMatch(/error/i);
    expect(hi.stdout.trim()).toBe('hello-from-nested');
    expect(hi.exitCode).toBe(0);

    const build = await execIn(
      playground,
      session.id,
      [
        'set -e',
        'mkdir -p /root/app && cd /root/app',
        "printf 'FROM busybox\\nRUN echo built > /built.txt\\nCMD [\"cat\", \"/built.txt\"]\\n' > Dockerfile",
        'docker build -q -t myapp . >/dev/null',
        'docker run --rm myapp',
      ].join('\n'),
    );
    expect(build.stdout.trim()).toBe('built');

    const volumesAndNetworks = await execIn(
      playground,
      session.id,
      [
        'set -e',
        'docker volume create data >/dev/null',
        'docker run --rm -v data:/data busybox sh -c "echo kept > /data/file"',
        'docker run --rm -v data:/data busybox cat /data/file',
        'docker network create appnet >/dev/null',
        'docker run -d --name server --network appnet busybox httpd -f -p 80 -h /etc >/dev/null',
        'docker run --rm --network appnet busybox wget -qO- http://server/hostname >/dev/null && echo dns-ok',
        'docker exec server cat /etc/hostname >/dev/null && echo exec-ok',
        'docker inspect --format "{{.Name}}" server',
        'docker logs server >/dev/null && echo logs-ok',
      ].join('\n'),
    );
    expect(volumesAndNetworks.stdout.split('\n').filter(Boolean)).toEqual(['kept', 'dns-ok', 'exec-ok', '/server', 'logs-ok']);

    const published = await execIn(
      playground,
      session.id,
      [
        'set -e',
        'mkdir -p /root/www && echo hello-published > /root/www/index.html',
        'docker run -d -p 8080:80 -v /root/www:/www busybox httpd -f -p 80 -h /www >/dev/null',
        'for i in $(seq 1 50); do wget -qO- http://localhost:8080/ 2>/dev/null && exit 0; sleep 0.2; done; exit 1',
      ].join('\n'),
    );
    expect(published.stdout.trim()).toBe('hello-published');
    // The same port answers from the host at the instance's address (a project container).
    const fromHost = await fetch(`http://${session.instances[0]!.ip}:8080/`);
    expect((await fromHost.text()).trim()).toBe('hello-published');

    await api(playground, 'DELETE', `/api/sessions/${session.id}`);
    expect(await labelledResources(session.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('reports exit codes, stderr and timeouts of exec', async () => {
    const session = await createSession(playground);
    const failing = await execIn(playground, session.id, 'echo out; echo err >&2; exit 3');
    expect(failing).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const slow = await execIn(playground, session.id, 'sleep 30', 1500);
    expect(slow).toMatchObject({ timedOut: true });
    await api(playground, 'DELETE', `/api/sessions/${session.id}`);
  });
});
