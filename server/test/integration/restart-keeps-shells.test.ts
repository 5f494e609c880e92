import { afterAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, PROMPT, startTestPlayground, TEST_PLAYGROUND_NAME, TestTerminal } from './harness';
import { freePort, killServerProcess, startServerProcess, type ServerProcess } from './server-process';

// A restarted server (same PLAYGROUND_NAME) gives every session back its same shells: the processes
// the person started are still there, and the screen they had is replayed to the reconnecting socket.
// Killed (SIGKILL, a real process) and stopped (SIGTERM, in process) both.

/** The process id the shell prints for `$$`, and that a background job it started is still running. */
async function startJob(terminal: TestTerminal, label: string): Promise<string> {
  // Output that follows a typed command starts after bash's own escape codes and a CR: [\r\n] before it.
  terminal.type(`sleep 1000 & echo "${label}=$$"\r`);
  return (await terminal.waitForOutput(new RegExp(`[\\r\\n]${label}=(\\d+)\\r`), 30_000))[1]!;
}

describe('a restart keeps the shells', () => {
  const processes: ServerProcess[] = [];
  const inProcess: Playground[] = [];
  const made: Array<{ playground: () => Playground; id: string }> = [];
  afterAll(async () => {
    for (const { playground, id } of made) await api(playground(), 'DELETE', `/api/sessions/${id}`).catch(() => undefined);
    for (const server of processes) await killServerProcess(server);
    for (const playground of inProcess) await playground.close({ removeSessions: true });
  });

  it('killed with SIGKILL and started again: the same shell, its job still running, its screen replayed', async () => {
    const port = await freePort();
    const first = await startServerProcess(port, 'killed');
    processes.push(first);
    const created = await api(first.playground, 'POST', '/api/sessions');
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    made.push({ playground: () => processes.at(-1)!.playground, id });

    const before = new TestTerminal(first.playground, id);
    await before.waitForOutput(PROMPT, 60_000);
    const pid = await startJob(before, 'first');
    // Screens are saved every 2 s: a kill loses at most what the last seconds printed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    await killServerProcess(first);
    await before.waitForClose();
    const second = await startServerProcess(port, 'killed');
    processes.push(second);

    const session = await api(second.playground, 'GET', `/api/sessions/${id}`);
    expect(session.status).toBe(200);
    expect(session.json.expiresAt).toBe(created.json.expiresAt);
    const after = new TestTerminal(second.playground, id);
    // The screen it had, replayed before anything new: the line the shell printed before the kill.
    await after.waitForOutput(new RegExp(`[\\r\\n]first=${pid}\\r`), 30_000);
    after.type('echo "again=$$"; jobs\r');
    await after.waitForOutput(new RegExp(`[\\r\\n]again=${pid}\\r`), 30_000);
    await after.waitForOutput(/Running\s+sleep 1000 &/, 10_000);
    after.close();
  });

  it('stopped (SIGTERM) and started again: each tab gets its own shell back, listed before any socket reconnects', async () => {
    const env = { PLAYGROUND_NAME: `${TEST_PLAYGROUND_NAME}-stopped` };
    const first = await startTestPlayground(env);
    inProcess.push(first);
    const created = await api(first, 'POST', '/api/sessions');
    const id = created.json.id as string;
    made.push({ playground: () => inProcess.at(-1)!, id });

    const tab1 = new TestTerminal(first, id);
    await tab1.waitForOutput(PROMPT, 60_000);
    const pid1 = await startJob(tab1, 'one');
    const tab2 = new TestTerminal(first, id, 'node1', true, '?n=2');
    await tab2.waitForOutput(PROMPT, 60_000);
    const pid2 = await startJob(tab2, 'two');
    expect(pid2).not.toBe(pid1);

    await first.close();
    inProcess.splice(inProcess.indexOf(first), 1);
    expect((await tab1.waitForClose()).code).toBe(1001);
    const second = await startTestPlayground(env);
    inProcess.push(second);

    const session = await api(second, 'GET', `/api/sessions/${id}`);
    expect(session.json.instances[0].terminals).toEqual([1, 2]);
    for (const [query, label, pid] of [['', 'one', pid1], ['?n=2', 'two', pid2]] as const) {
      const again = new TestTerminal(second, id, 'node1', true, query);
      // Its own screen, replayed: the line its shell printed before the restart.
      await again.waitForOutput(new RegExp(`[\\r\\n]${label}=${pid}\\r`), 30_000);
      again.type('echo "now=$$"\r');
      await again.waitForOutput(new RegExp(`[\\r\\n]now=${pid}\\r`), 30_000);
      again.close();
    }

    // Closing a tab ends its shell for good: opened again, it is a new one.
    expect((await api(second, 'DELETE', `/api/sessions/${id}/instances/node1/terminals/2`)).status).toBe(204);
    const reopened = new TestTerminal(second, id, 'node1', true, '?n=2');
    await reopened.waitForOutput(PROMPT, 60_000);
    reopened.type('echo "fresh=$$"\r');
    const fresh = (await reopened.waitForOutput(/[\r\n]fresh=(\d+)\r/, 30_000))[1];
    expect(fresh).not.toBe(pid2);
    expect(reopened.plain()).not.toContain(`two=${pid2}`);
    reopened.close();
  });
});
