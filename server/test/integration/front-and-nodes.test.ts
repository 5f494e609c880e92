import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import type { Playground } from '../../src/main';
import { loadFrontConfig } from '../../src/front/front-config';
import { startFront, type Front } from '../../src/front/start-front';
import { apiPaths } from '../../src/protocol/api-paths';
import type { SessionInfo } from '../../src/protocol/api-types';
import { api, createSession, execIn, labelledResources, PROMPT, startTestPlayground, TestTerminal } from './harness';

// A front before two real nodes on this machine's engine (each its own PLAYGROUND_NAME, NODE_NAME
// and disk folder): sessions placed on both, Docker used through the front, a terminal through it,
// sessions on different nodes kept apart, and a node stopped while the other keeps serving.

describe('a front before two nodes on the real engine', () => {
  let nodeA: Playground;
  let nodeB: Playground;
  let front: Front;
  let onA: SessionInfo;
  let onB: SessionInfo;

  beforeAll(async () => {
    nodeA = await startTestPlayground({ NODE_NAME: 'node-a' });
    nodeB = await startTestPlayground({ NODE_NAME: 'node-b' });
    front = await startFront(loadFrontConfig({ PORT: '0', HOST: '127.0.0.1', NODES: `${nodeA.url},${nodeB.url}`, NODE_POLL_INTERVAL: '200' }), { logger: silentLogger });
  });
  afterAll(async () => {
    await front?.close();
    await nodeA?.close({ removeSessions: true });
    await nodeB?.close({ removeSessions: true });
  });

  it('places sessions on both nodes; Docker inside works through the front on each', async () => {
    onA = await createSession(front);
    onB = await createSession(front);
    expect([onA.node, onB.node].sort()).toEqual(['node-a', 'node-b']);
    if (onA.node !== 'node-a') [onA, onB] = [onB, onA];
    expect(nodeA.sessions.hasKey(onA.previewKey)).toBe(true);
    expect(nodeB.sessions.hasKey(onB.previewKey)).toBe(true);
    for (const session of [onA, onB]) {
      const run = await execIn(front, session.id, 'docker run --rm busybox echo hello-from-$(hostname)');
      expect(run.stdout).toContain('hello-from-');
      expect(run.exitCode).toBe(0);
    }
  });

  it('opens a terminal through the front on the node holding the session', async () => {
    const terminal = new TestTerminal(front, onB.id);
    await terminal.opened;
    await terminal.waitForOutput(PROMPT, 60_000);
    terminal.type('echo "on $((6*7))"\r');
    await terminal.waitForOutput(/on 42/);
    terminal.close();
  });

  it('keeps sessions on different nodes apart', async () => {
    const attempt = await execIn(front, onA.id, `ping -c2 -W2 ${onB.instances[0]!.ip}; echo "exit=$?"`);
    expect(attempt.stdout).toMatch(/2 packets transmitted, 0 received/);
  });

  it('a node stopped: its sessions are said lost in words, new sessions go to the node left, which keeps serving', async () => {
    await nodeA.close({ removeSessions: true });
    expect(await labelledResources(onA.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    const lost = await api(front, 'GET', apiPaths.session(onA.id));
    expect(lost.status).toBe(502);
    expect(lost.json.error.message).toMatch(/cannot be reached/);
    const next = await createSession(front);
    expect(next.node).toBe('node-b');
    expect((await execIn(front, onB.id, 'docker ps -q | wc -l')).exitCode).toBe(0);
    expect((await api(front, 'DELETE', apiPaths.session(next.id))).status).toBe(204);
  });
});
