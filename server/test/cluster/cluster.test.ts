import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/protocol/api-paths';
import type { HealthBody, SessionInfo } from '../../src/protocol/api-types';
import { clusterNodes } from '../../../scripts/cluster/cluster-plan';
import { cluster, clusterLoopDevices, frontUrl, lastLine, leftovers, mainEngine, restartNodeServer, stopNodeServer } from './cluster-harness';
import { api, createSession, execIn, waitFor, PROMPT, TestTerminal } from '../integration/harness';

// The playground on a cluster of three engines on this machine (npm run cluster): a Swarm of one
// manager and two workers, a node server on each, a front before them that learns the nodes from
// the Swarm. Sessions land on every node, work through the front, stay apart; a drained node gets
// no new sessions; a lost node is said so, the others keep serving, and it adopts its sessions back.

const run = promisify(execFile);
const nodes = clusterNodes();
const manager = nodes[0]!;

describe('the playground on a three-node cluster', () => {
  const front = { url: frontUrl() };
  const made: SessionInfo[] = [];
  let engineBefore: Awaited<ReturnType<typeof mainEngine>>;
  let upOutput = '';

  beforeAll(async () => {
    engineBefore = await mainEngine();
    upOutput = await cluster('up');
  }, 1_200_000);
  afterAll(async () => {
    // Whatever happened above: nothing of the cluster stays.
    if (leftovers().length > 0) await cluster('down', 300_000);
  }, 300_000);

  it('comes up with its last line naming the front; a second up only checks', async () => {
    expect(lastLine(upOutput)).toBe(`cluster up: the playground's front is at ${front.url}`);
    const again = await cluster('up');
    expect(again).toContain('already up and healthy');
    expect(lastLine(again)).toBe(lastLine(upOutput));
  });

  it('the front sees the swarm\'s three nodes, each serving', async () => {
    const health = await waitFor('three serving nodes', async () => {
      const { json } = await api(front, 'GET', apiPaths.health);
      const body = json as HealthBody;
      return body.nodes?.filter((node) => node.status === 'ok').length === 3 ? body : undefined;
    }, 60_000);
    expect(health.nodes!.map((node) => node.node).sort()).toEqual(nodes.map((node) => node.netns));
  });

  it('places sessions on every node; Docker inside works on each, through the front', async () => {
    for (let i = 0; i < nodes.length; i += 1) made.push(await createSession(front));
    expect(made.map((session) => session.node).sort()).toEqual(nodes.map((node) => node.netns));
    for (const session of made) {
      const hello = await execIn(front, session.id, 'docker run --rm busybox echo hello-from-$(hostname)');
      expect(hello.stdout).toContain('hello-from-');
    }
    const terminal = new TestTerminal(front, made[2]!.id);
    await terminal.opened;
    await terminal.waitForOutput(PROMPT, 60_000);
    terminal.type('echo "cluster $((40+2))"\r');
    await terminal.waitForOutput(/cluster 42/);
    terminal.close();
  });

  it('sessions on different nodes cannot reach each other, nor the other machines', async () => {
    const [onFirst, onSecond] = made;
    const target = onSecond!.instances[0]!.ip;
    const other = nodes.find((node) => node.netns === onSecond!.node)!;
    const attempt = await execIn(front, onFirst!.id, `ping -c1 -W2 ${target}; echo "ping=$?"; timeout 5 wget -q -T 3 -O- http://${other.address}:8080/api/health; echo "wget=$?"`);
    expect(attempt.stdout).toMatch(/ping=1/);
    expect(attempt.stdout).toMatch(/wget=[1-9]/);
  });

  it('a node drained in Swarm gets no new sessions and keeps serving its own', async () => {
    const drained = made[1]!;
    const hostname = drained.node;
    // The engines share this machine's host name: `up` labels each swarm node with its number.
    const index = nodes.find((node) => node.netns === hostname)!.index;
    const { stdout } = await run('docker', ['-H', manager.dockerHost, 'node', 'ls', '-q', '--filter', `node.label=playground-cluster.node=${index}`]);
    const swarmNode = stdout.trim();
    expect(swarmNode).toMatch(/^\w+$/);
    await run('docker', ['-H', manager.dockerHost, 'node', 'update', '--availability', 'drain', swarmNode]);
    try {
      await waitFor('the front to see the drain', async () => ((await api(front, 'GET', apiPaths.health)).json as HealthBody).nodes?.some((node) => node.node === hostname && !node.accepting));
      const placed: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const session = await createSession(front);
        made.push(session);
        placed.push(session.node);
      }
      expect(placed).not.toContain(hostname);
      expect((await execIn(front, drained.id, 'docker ps -q | wc -l')).exitCode).toBe(0);
    } finally {
      await run('docker', ['-H', manager.dockerHost, 'node', 'update', '--availability', 'active', swarmNode]);
    }
  });

  it('a node lost: its session is said lost in words, new sessions go elsewhere; back, it has its session again', async () => {
    const lost = made[0]!;
    const node = nodes.find((candidate) => candidate.netns === lost.node)!;
    await stopNodeServer(node);
    const answer = await waitFor('the front to say the machine is lost', async () => {
      const response = await api(front, 'GET', apiPaths.session(lost.id));
      return response.status === 502 ? response : undefined;
    });
    expect(answer.json.error.message).toContain(`(${node.netns}) cannot be reached`);
    const next = await createSession(front);
    made.push(next);
    expect(next.node).not.toBe(node.netns);

    await restartNodeServer(node);
    const back = await waitFor('the session again', async () => {
      const response = await api(front, 'GET', apiPaths.session(lost.id));
      return response.status === 200 ? response : undefined;
    }, 120_000);
    expect(back.json.node).toBe(node.netns);
    expect((await execIn(front, lost.id, 'echo still-here')).stdout).toContain('still-here');
  });

  it('down removes all of it, servers and disks included, and leaves the main engine as it was', async () => {
    for (const session of made) await api(front, 'DELETE', apiPaths.session(session.id));
    expect(lastLine(await cluster('down', 300_000))).toMatch(/^cluster down: everything removed/);
    expect(leftovers()).toEqual([]);
    expect(await clusterLoopDevices()).toEqual([]);
    expect(await fetch(`${front.url}/api/health`).then(() => 'answered', () => 'gone')).toBe('gone');
    expect(lastLine(await cluster('down', 60_000))).toBe('cluster down: nothing was up');
    const engineAfter = await mainEngine();
    expect(engineAfter.dockerdPid).toBe(engineBefore.dockerdPid);
    for (const container of engineBefore.running.filter((line) => line.endsWith(' playground-registry'))) expect(engineAfter.running).toContain(container);
  });
});
