import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { resourceNames } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, docker, execIn, startTestPlayground, TestTerminal, waitFor } from './harness';

// Several instances per session, on the session's own network.
describe('instances of a session', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground({ MAX_INSTANCES: '3' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('adds node2 and node3, which reach each other by name; a fourth is refused with 409', async () => {
    const { id } = await createSession(playground);
    const [second, third] = await Promise.all([
      api(playground, 'POST', `/api/sessions/${id}/instances`),
      api(playground, 'POST', `/api/sessions/${id}/instances`),
    ]);
    expect([second.status, third.status]).toEqual([201, 201]);
    expect([second.json.name, third.json.name].sort()).toEqual(['node2', 'node3']);
    expect(second.json).toMatchObject({ hostname: second.json.name, ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });

    const ping = await execIn(playground, id, 'ping -c1 -W3 node2 && ping -c1 -W3 node3');
    expect(ping.exitCode).toBe(0);
    expect(ping.stdout).toMatch(/1 packets transmitted, 1 received/);
    const back = await execIn(playground, id, 'ping -c1 -W3 node1', 120_000, 'node2');
    expect(back.exitCode).toBe(0);

    const over = await api(playground, 'POST', `/api/sessions/${id}/instances`);
    expect(over.status).toBe(409);
    expect(over.json.error).toMatchObject({ code: 'instance_limit' });
    expect(over.json.error.message).toMatch(/already has 3 instances/);

    const info = await api(playground, 'GET', `/api/sessions/${id}`);
    expect(info.json.instances.map((instance: { name: string }) => instance.name).sort()).toEqual(['node1', 'node2', 'node3']);
  });

  it('deletes one instance with its data, closes its terminal with 4411, and leaves the others running', async () => {
    const { id } = await createSession(playground);
    expect((await api(playground, 'POST', `/api/sessions/${id}/instances`)).status).toBe(201);
    const terminal = new TestTerminal(playground, id, 'node2');
    await terminal.opened;
    await terminal.waitForOutput(/node2/, 60_000);

    expect((await api(playground, 'DELETE', `/api/sessions/${id}/instances/node2`)).status).toBe(204);
    await waitFor('the terminal to close', async () => terminal.closed);
    expect(terminal.closed?.code).toBe(4411);
    const key = sessionKey(id);
    await expect(docker.getContainer(resourceNames.container(key, 'node2')).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(resourceNames.dockerVolume(key, 'node2')).inspect()).rejects.toMatchObject({ statusCode: 404 });

    expect((await execIn(playground, id, 'echo still-here')).stdout.trim()).toBe('still-here');
    expect((await api(playground, 'DELETE', `/api/sessions/${id}/instances/node2`)).status).toBe(404);
    // The freed name is used again.
    const again = await api(playground, 'POST', `/api/sessions/${id}/instances`);
    expect(again.json.name).toBe('node2');
  });

  it('answers 404 for unknown sessions and instances', async () => {
    expect((await api(playground, 'POST', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/instances')).status).toBe(404);
    const { id } = await createSession(playground);
    const missing = await api(playground, 'DELETE', `/api/sessions/${id}/instances/node9`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('instance_not_found');
  });

  it('keeps sessions apart: one session’s instance cannot reach another session’s', async () => {
    const a = await createSession(playground);
    const b = await createSession(playground);
    const bIp = b.instances[0]!.ip;
    expect(bIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((await execIn(playground, b.id, 'echo self')).exitCode).toBe(0);
    const attempt = await execIn(playground, a.id, `ping -c2 -W2 ${bIp}; echo "exit=$?"`);
    expect(attempt.stdout).toMatch(/2 packets transmitted, 0 received/);
    expect(attempt.stdout).toMatch(/exit=1/);
  });
});

describe('instance stats and restart', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('reports live CPU and memory; a busy instance shows CPU use', async () => {
    const { id } = await createSession(playground);
    await execIn(playground, id, 'echo warm');
    const first = await api(playground, 'GET', `/api/sessions/${id}/instances/node1/stats`);
    expect(first.status).toBe(200);
    expect(first.json.memoryBytes).toBeGreaterThan(5 * 1024 ** 2);
    expect(first.json.memoryLimitBytes).toBe(2 * 1024 ** 3);
    await execIn(playground, id, '(timeout 3 sh -c "while :; do :; done" &) ; sleep 2; echo spun');
    const busy = await api(playground, 'GET', `/api/sessions/${id}/instances/node1/stats`);
    expect(busy.json.cpuPercent).toBeGreaterThan(10);
  });

  it('a sandbox stopped from outside the playground: its terminal says so (1011) and the instance shows as stopped', async () => {
    const { id } = await createSession(playground);
    await docker.getContainer(resourceNames.container(sessionKey(id), 'node1')).stop({ t: 0 });
    const terminal = new TestTerminal(playground, id);
    expect(await terminal.waitForClose()).toEqual({ code: 1011, reason: 'instance is not running' });
    const session = await api(playground, 'GET', `/api/sessions/${id}`);
    expect(session.json.instances[0].state).toBe('stopped');
  });

  it('restarts an instance: its terminal closes with 4412, Docker comes back with its images, the shell answers again', async () => {
    const { id } = await createSession(playground);
    expect((await execIn(playground, id, 'docker tag busybox kept:1 2>/dev/null || (docker pull -q busybox >/dev/null && docker tag busybox kept:1); echo tagged')).stdout).toContain('tagged');
    const terminal = new TestTerminal(playground, id);
    await terminal.opened;
    await terminal.waitForOutput(/node1/, 60_000);

    const restarted = await api(playground, 'POST', `/api/sessions/${id}/instances/node1/restart`);
    expect(restarted.status).toBe(200);
    expect(restarted.json).toMatchObject({ name: 'node1', state: 'starting' });
    await waitFor('the terminal to close', async () => terminal.closed);
    expect(terminal.closed?.code).toBe(4412);

    await waitFor('node1 to run again', async () => (await api(playground, 'GET', `/api/sessions/${id}`)).json.instances[0].state === 'running', 60_000);
    expect((await execIn(playground, id, 'docker image ls --format "{{.Repository}}:{{.Tag}}" | grep kept')).stdout.trim()).toBe('kept:1');
    const again = new TestTerminal(playground, id);
    await again.opened;
    again.type('echo back-after-restart\r');
    await again.waitForOutput(/^back-after-restart\r?$/m, 60_000);
    again.close();
  });
});

describe('several terminals per instance', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('opens separate shells by number, lists them, and ends one on DELETE', async () => {
    const { id } = await createSession(playground);
    const first = new TestTerminal(playground, id);
    const second = new TestTerminal(playground, id, 'node1', true, '?n=2');
    await Promise.all([first.opened, second.opened]);
    first.type('echo "shell=$$"\r');
    second.type('echo "shell=$$"\r');
    const [, one] = await first.waitForOutput(/shell=(\d+)/, 60_000);
    const [, two] = await second.waitForOutput(/shell=(\d+)/, 60_000);
    expect(one).not.toBe(two);
    expect((await api(playground, 'GET', `/api/sessions/${id}`)).json.instances[0].terminals).toEqual([1, 2]);

    expect((await api(playground, 'DELETE', `/api/sessions/${id}/instances/node1/terminals/2`)).status).toBe(204);
    await waitFor('terminal 2 to close', async () => second.closed);
    expect(second.closed?.code).toBe(4000);
    expect((await api(playground, 'GET', `/api/sessions/${id}`)).json.instances[0].terminals).toEqual([1]);
    expect((await api(playground, 'DELETE', `/api/sessions/${id}/instances/node1/terminals/2`)).status).toBe(404);
    expect((await api(playground, 'DELETE', `/api/sessions/${id}/instances/node1/terminals/9`)).status).toBe(400);

    const bad = new TestTerminal(playground, id, 'node1', true, '?n=9');
    await waitFor('the bad terminal to close', async () => bad.closed);
    expect(bad.closed).toMatchObject({ code: 4400 });
    first.close();
  });
});
