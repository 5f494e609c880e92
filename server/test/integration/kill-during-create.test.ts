import { afterAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { docker, ownedResources, startTestPlayground, TEST_PLAYGROUND_NAME, waitFor } from './harness';
import { LABEL } from '../../src/sandbox/labels';
import { freePort, killServerProcess, startServerProcess, type ServerProcess } from './server-process';

// A server killed while it makes a session leaves no orphan: nobody was given the session's id, so
// the next start removes whatever of it exists (a network, a sandbox, even one already running).

const NOTHING = { containers: 0, networks: 0, volumes: 0 };

describe('a kill during session creation', () => {
  const processes: ServerProcess[] = [];
  const inProcess: Playground[] = [];
  afterAll(async () => {
    for (const server of processes) await killServerProcess(server);
    for (const playground of inProcess) await playground.close({ removeSessions: true });
  });

  it('killed (SIGKILL) as the sandbox appears: the next start removes all of it', async () => {
    const owner = `${TEST_PLAYGROUND_NAME}-killed-creating`;
    const port = await freePort();
    const first = await startServerProcess(port, 'killed-creating');
    processes.push(first);
    const answer = fetch(`${first.playground.url}/api/sessions`, { method: 'POST' }).then(
      (response) => response.status,
      () => 'no answer',
    );
    // The moment the engine holds the session's sandbox, before the server could answer.
    await waitFor(
      'the sandbox to be created',
      async () => (await docker.listContainers({ all: true, filters: { label: [`${LABEL.owner}=${owner}`] } })).length > 0,
      60_000,
    );
    await killServerProcess(first);
    expect(await answer).toBe('no answer');
    expect((await ownedResources(owner)).containers).toBeGreaterThan(0);

    const second = await startServerProcess(port, 'killed-creating');
    processes.push(second);
    // The start-up sweep runs before the server answers: nothing of the session is left.
    expect(await ownedResources(owner)).toEqual(NOTHING);
    const health = await (await fetch(`${second.playground.url}/metrics`)).text();
    expect(health).toMatch(/^playground_sessions 0$/m);
  });

  it('made and running, but its id never handed out when the server stopped: the next start removes it', async () => {
    // What a kill between making the session and answering leaves, made without a race: the
    // service creates the session, the HTTP answer never happens.
    const env = { PLAYGROUND_NAME: `${TEST_PLAYGROUND_NAME}-unanswered` };
    const first = await startTestPlayground(env);
    inProcess.push(first);
    const { session } = await first.sessions.create();
    await session.instances.get('node1')!.ready;
    await first.close();
    inProcess.splice(inProcess.indexOf(first), 1);
    expect((await ownedResources(env.PLAYGROUND_NAME)).containers).toBeGreaterThan(0);

    const second = await startTestPlayground(env);
    inProcess.push(second);
    expect(second.sessions.list()).toEqual([]);
    expect(await ownedResources(env.PLAYGROUND_NAME)).toEqual(NOTHING);
  });
});
