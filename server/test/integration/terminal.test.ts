import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { DEFAULT_TERMINAL_OPTIONS } from '../../src/terminal/terminal';
import { createSession, PROMPT, startTestPlayground, TestTerminal } from './harness';

describe('the terminal WebSocket against a real sandbox', () => {
  let playground: Playground;
  let sessionId: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    sessionId = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('shows a root prompt, runs commands and sees the new size after a resize', async () => {
    const terminal = new TestTerminal(playground, sessionId);
    await terminal.opened;
    await terminal.waitForOutput(PROMPT, 60_000);
    expect(terminal.messages[0]).toMatchObject({ type: 'attached', instance: 'node1' });
    terminal.type('echo "$(id -u) $((6*7)) héllo ✓"\r');
    await terminal.waitForOutput(/^0 42 héllo ✓\r?$/m);
    terminal.send({ type: 'resize', cols: 100, rows: 30 });
    terminal.type('stty size\r');
    await terminal.waitForOutput(/^30 100\r?$/m);
    terminal.close();
  });

  it('a reconnecting socket gets recent output replayed and the same shell', async () => {
    const first = new TestTerminal(playground, sessionId);
    await first.opened;
    first.type('echo "pid=$$ marker-$((1000+1))"\r');
    const [, pid] = await first.waitForOutput(/pid=(\d+) marker-1001/);
    first.close();

    const second = new TestTerminal(playground, sessionId);
    await second.waitForOutput(/pid=\d+ marker-1001/);
    const attached = second.messages[0];
    expect(attached?.type === 'attached' && attached.replayBytes).toBeGreaterThan(0);
    second.type('echo "again=$$"\r');
    await second.waitForOutput(new RegExp(`again=${pid}`));
    second.close();
  });

  it('Ctrl-C reaches the foreground process', async () => {
    const terminal = new TestTerminal(playground, sessionId);
    await terminal.opened;
    terminal.type('sleep 300; echo after-sleep-$?\r');
    await new Promise((resolve) => setTimeout(resolve, 500));
    terminal.type('\x03');
    terminal.type('echo interrupted-ok\r');
    await terminal.waitForOutput(/^interrupted-ok\r?$/m, 10_000);
    expect(terminal.plain()).not.toMatch(/after-sleep-0/);
    terminal.close();
  });

  it('a client that does not acknowledge is sent at most a window of output, then more after acking', async () => {
    const terminal = new TestTerminal(playground, sessionId, 'node1', false);
    await terminal.opened;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = terminal.outputBytes;
    terminal.send({ type: 'ack', bytes: before });
    terminal.type('yes flood-line | head -c 20000000\r');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const window = DEFAULT_TERMINAL_OPTIONS.highWaterBytes + DEFAULT_TERMINAL_OPTIONS.maxFrameBytes * 2;
    const unacked = terminal.outputBytes - before;
    expect(unacked).toBeGreaterThan(DEFAULT_TERMINAL_OPTIONS.highWaterBytes);
    expect(unacked).toBeLessThanOrEqual(window);
    // Acknowledging lets the flow continue.
    terminal.send({ type: 'ack', bytes: unacked });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(terminal.outputBytes - before).toBeGreaterThan(unacked);
    terminal.type('\x03');
    terminal.close();
  });
});
