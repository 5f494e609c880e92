import { execFile } from 'node:child_process';
import Docker from 'dockerode';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/protocol/api-paths';
import type { HealthBody, SessionInfo } from '../../src/protocol/api-types';
import { clusterNodes } from '../../../scripts/cluster/cluster-plan';
import { nodeServerUrl } from '../../../scripts/cluster/playground-servers';
import { hostileUserSuite } from '../security/hostile-user-suite';
import { launchBrowser, newBenchPage, pagePromptTime, pageTerminalText, pageType } from '../../../bench/lib/browser';
import { startFailoverBalancer } from './failover-balancer';
import { cluster, clusterLoopDevices, frontUrl, lastLine, leftovers, mainEngine, nodeDiskImages, restartLoopbackFront, restartNodeMachine, restartNodeServer, stopLoopbackFront, stopNodeMachine, stopNodeServer, swarmFront } from './cluster-harness';
import { LABEL } from '../../src/sandbox/labels';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession, execIn, waitFor, PROMPT, TestTerminal } from '../integration/harness';

// The playground on a cluster of three engines on this machine (npm run cluster): a Swarm of one
// manager and two workers, a node server on each, and two fronts that learn the nodes from the
// Swarm: one deployed as a Swarm service by `npm run deploy`, one a process on this machine.
// Sessions land on every node, work through either front, stay apart; the isolation suite passes
// on a node; a stopped front loses no shell; a drained node gets no new sessions; a lost node is said so, the others keep serving, and
// it adopts its sessions back; a node whose engine stopped leaves nothing of its sessions behind when it returns.

const run = promisify(execFile);
const nodes = clusterNodes();
const manager = nodes[0]!;

/** The HTTP status of a GET made from inside a node's network namespace (as that machine). */
async function statusFrom(node: (typeof nodes)[number], url: string): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) }).then((r) => console.log(r.status), (e) => console.log('error ' + e.message))`;
  const { stdout } = await run('nsenter', [`--net=${node.netnsPath}`, process.execPath, '-e', script]);
  return stdout.trim();
}

describe('the playground on a three-node cluster', () => {
  const front = { url: frontUrl() };
  const deployed = { url: swarmFront() };
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

  it('comes up with its last line naming the front the Swarm runs; a second up only checks', async () => {
    expect(lastLine(upOutput)).toBe(`cluster up: the playground's front is at ${deployed.url}`);
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

  it('the front deployed by npm run deploy runs as a Swarm service from the cluster\'s registry, with no Docker socket, and sees the same nodes', async () => {
    // A second `up` deploys again (its registry login renewed), which may roll the front's task: wait for it.
    const services = await waitFor('the front\'s task to run', async () => {
      const { stdout } = await run('docker', ['-H', manager.dockerHost, 'service', 'ls', '--format', '{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}}']);
      return /^playground_front global 1\/1 /m.test(stdout) ? stdout : undefined;
    }, 60_000);
    expect(services).toMatch(/^playground_front global 1\/1 127\.0\.0\.1:5005\/playground-front:\w+/m);
    expect(services).toMatch(/^playground-registry_registry replicated 1\/1 /m);
    const { stdout: mounts } = await run('docker', ['-H', manager.dockerHost, 'service', 'inspect', 'playground_front', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}']);
    expect(mounts.trim()).toBe('null');
    const { stdout: secrets } = await run('docker', ['-H', manager.dockerHost, 'secret', 'ls', '--format', '{{.Name}}']);
    expect(secrets.split('\n')).toContain('playground-registry-htpasswd');
    // The registry is guarded: without the password, nothing is told or taken.
    expect(await statusFrom(manager, 'http://127.0.0.1:5005/v2/_catalog')).toBe('401');
    const health = await waitFor('three serving nodes through the deployed front', async () => {
      const body = (await api(deployed, 'GET', apiPaths.health)).json as HealthBody;
      return body.nodes?.filter((node) => node.status === 'ok').length === 3 ? body : undefined;
    }, 60_000);
    expect(health.nodes!.map((node) => node.node).sort()).toEqual(nodes.map((node) => node.netns));
    // The members come through a node on the manager, which tells its trusted proxies only: asked
    // from another machine of the cluster, it refuses.
    const worker = nodes[1]!;
    expect(await statusFrom(worker, `http://${manager.address}:8080${apiPaths.nodeSwarm}`)).toBe('403');
  });

  it('a browser on each node: three visitors open the deployed front and press Start; each gets a shell, on a machine of its own', async () => {
    const browser = await launchBrowser();
    const placed: SessionInfo[] = [];
    try {
      for (let i = 0; i < nodes.length; i += 1) {
        const page = await newBenchPage(browser, deployed.url);
        await page.goto('/');
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await page.waitForURL(/\/s\/[A-Za-z0-9_-]{22}$/, { timeout: 120_000 });
        await pagePromptTime(page, { timeoutMs: 120_000 });
        const id = /\/s\/([A-Za-z0-9_-]{22})$/.exec(page.url())![1]!;
        placed.push((await api(deployed, 'GET', apiPaths.session(id))).json as SessionInfo);
      }
      expect(placed.map((session) => session.node).sort()).toEqual(nodes.map((node) => node.netns));
    } finally {
      await browser.close();
      for (const session of placed) await api(deployed, 'DELETE', apiPaths.session(session.id));
    }
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

  it('a front stopped: the shell goes on through the other front, the same process with its screen', async () => {
    const session = made[2]!;
    const first = new TestTerminal(front, session.id);
    await first.opened;
    await first.waitForOutput(PROMPT, 60_000);
    first.type('echo "shell=$$" > /tmp/which-shell; echo "before-$((6*7))"\r');
    await first.waitForOutput(/before-42/);
    await stopLoopbackFront();
    try {
      await waitFor('the stopped front to drop the socket', async () => first.closed !== undefined);
      const second = new TestTerminal(deployed, session.id);
      await second.opened;
      await second.waitForOutput(/before-42/); // the screen, replayed by the node
      second.type('echo "now shell=$$"\r');
      const { stdout } = await execIn(deployed, session.id, 'cat /tmp/which-shell');
      const shell = /shell=(\d+)/.exec(stdout)?.[1];
      expect(shell).toMatch(/^\d+$/);
      await second.waitForOutput(new RegExp(`now shell=${shell}\\b`));
      second.close();
    } finally {
      await restartLoopbackFront();
    }
  });

  it('a browser behind a balancer: the front it used stops, the page reconnects by itself through the other, to the same shell', async () => {
    const balancer = await startFailoverBalancer([front.url, deployed.url]);
    const browser = await launchBrowser();
    let id: string | undefined;
    try {
      const page = await newBenchPage(browser, balancer.url);
      await page.goto('/');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForURL(/\/s\/[A-Za-z0-9_-]{22}$/, { timeout: 120_000 });
      id = /\/s\/([A-Za-z0-9_-]{22})$/.exec(page.url())![1]!;
      await pagePromptTime(page, { timeoutMs: 120_000 });
      await pageType(page, 'echo "pid=$$" > /tmp/balanced-shell\r');
      const shell = await waitFor('the shell\'s pid', async () => /pid=(\d+)/.exec((await execIn(front, id!, 'cat /tmp/balanced-shell')).stdout)?.[1]);

      await stopLoopbackFront();
      try {
        // No click, no reload: the page reconnects, through the balancer, to the other front. Typing
        // while it is away goes nowhere, so the command is typed again until the shell answers it.
        const answered = await waitFor('the same shell through the other front', async () => {
          await pageType(page, `echo "again pid=$$"\r`);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return (await pageTerminalText(page)).includes(`again pid=${shell}`);
        }, 90_000);
        expect(answered).toBe(true);
      } finally {
        await restartLoopbackFront();
      }
    } finally {
      await browser.close();
      await balancer.close();
      if (id) await api(deployed, 'DELETE', apiPaths.session(id));
    }
  });

  it('sessions on different nodes cannot reach each other, nor the other machines', async () => {
    const [onFirst, onSecond] = made;
    const target = onSecond!.instances[0]!.ip;
    const other = nodes.find((node) => node.netns === onSecond!.node)!;
    // Another session made on the first one's node since: making it must leave the first one's
    // firewall rules in place (a node in a network namespace once took them for orphans).
    const firstNode = { url: nodeServerUrl(nodes.find((node) => node.netns === onFirst!.node)!) };
    const neighbour = await createSession(firstNode);
    try {
      const attempt = await execIn(front, onFirst!.id, `ping -c1 -W2 ${target}; echo "ping=$?"; timeout 5 wget -q -T 3 -O- http://${other.address}:8080/api/health; echo "wget=$?"`);
      expect(attempt.stdout).toMatch(/ping=1/);
      expect(attempt.stdout).toMatch(/wget=[1-9]/);
    } finally {
      await api(firstNode, 'DELETE', apiPaths.session(neighbour.id));
    }
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
      await waitFor('the deployed front to see it too', async () => ((await api(deployed, 'GET', apiPaths.health)).json as HealthBody).nodes?.some((node) => node.node === hostname && !node.accepting));
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

  it('a node\'s engine stopped (the machine lost): its session is said lost in words, new sessions go elsewhere; back, nothing of it is orphaned', async () => {
    // A worker: the manager keeps the Swarm, its registry and the deployed front.
    const machine = nodes[2]!;
    let victim = made.find((session) => session.node === machine.netns);
    for (let i = 0; i < 4 && !victim; i += 1) {
      const session = await createSession(front);
      made.push(session);
      if (session.node === machine.netns) victim = session;
    }
    expect(victim, `a session on ${machine.netns}`).toBeDefined();
    const imagesBefore = nodeDiskImages(machine).length;
    expect(imagesBefore).toBeGreaterThan(0);

    await stopNodeMachine(machine);
    const lost = await waitFor('the front to say the machine is lost', async () => {
      const response = await api(front, 'GET', apiPaths.session(victim!.id));
      return response.status === 502 ? response : undefined;
    });
    // Named when this front has seen where the session is; a front restarted since only knows that
    // a machine does not answer.
    expect(lost.json.error.message).toMatch(new RegExp(`^The machine that holds this session( \\(${machine.netns}\\))? cannot be reached`));
    const elsewhere = await createSession(front);
    made.push(elsewhere);
    expect(elsewhere.node).not.toBe(machine.netns);

    await restartNodeMachine(machine);
    // Its sandboxes stopped with the engine: the session is over, said so in words, and the node
    // removed all of it (containers, network, volumes, disks) as it came back.
    const ended = await waitFor('the session to be known as ended', async () => {
      const response = await api(front, 'GET', apiPaths.session(victim!.id));
      return response.status === 404 ? response : undefined;
    }, 120_000);
    expect(ended.json.error).toMatchObject({ code: 'session_not_found', message: 'This session does not exist or has ended.' });
    const engine = new Docker({ socketPath: machine.socketPath });
    const filters = { label: [`${LABEL.session}=${sessionKey(victim!.id)}`] };
    const [containers, networks, volumes] = await Promise.all([engine.listContainers({ all: true, filters }), engine.listNetworks({ filters }), engine.listVolumes({ filters })]);
    expect([containers.length, networks.length, (volumes.Volumes ?? []).length]).toEqual([0, 0, 0]);
    expect(nodeDiskImages(machine).length).toBeLessThan(imagesBefore);
    // And it serves again: a session asked of it directly starts there.
    const again = await createSession({ url: nodeServerUrl(machine) });
    expect(again.node).toBe(machine.netns);
    await api({ url: nodeServerUrl(machine) }, 'DELETE', apiPaths.session(again.id));
  });

  describe('the isolation suite, against a node of the cluster', () => {
    // Asked of the node's server directly, so both of the suite's sessions are on that node.
    const target = nodes[1]!;
    const server = { url: nodeServerUrl(target) };
    hostileUserSuite({
      start: async () => ({
        url: server.url,
        docker: new Docker({ socketPath: target.dockerHost.replace(/^unix:\/\//, '') }),
        enginePidFile: target.pidFile,
        statusFromHost: async (url) => Number(await statusFrom(target, url)),
      }),
      stop: async (sessions) => {
        for (const session of sessions) await api(server, 'DELETE', apiPaths.session(session.id));
      },
    });
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
