import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, type ServerMessage } from '../protocol/terminal-protocol';
import { FakeDriver } from '../sandbox/fake-driver';
import { ScreenStore } from './screen-store';
import type { TerminalClient } from './terminal';
import { TerminalRegistry } from './terminal-registry';

const KEY = 'c'.repeat(32);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

class ScreenClient implements TerminalClient {
  output = '';
  closedWith: number | undefined;
  sendOutput(data: Buffer) {
    this.output += data.toString();
  }
  sendMessage(_message: ServerMessage) {}
  close(code: number) {
    this.closedWith = code;
  }
  pauseInput() {}
  resumeInput() {}
  bufferedBytes() {
    return 0;
  }
}

describe('TerminalRegistry: shells that outlive the server', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function storeDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'registry-screens-'));
    dirs.push(dir);
    return dir;
  }

  it('asks the sandbox for the shell by its number, and a restarted server replays the saved screen', async () => {
    const dir = await storeDir();
    const driver = new FakeDriver();
    const first = new TerminalRegistry(driver, 64 * 1024, await ScreenStore.open(dir));
    await first.open(KEY, 'node1', 'container-1', 2);
    expect(driver.shells.map((s) => `${s.containerId}/${s.name}`)).toEqual(['container-1/2']);
    driver.shells[0]!.shell.emit('[node1] ~ # sleep 1000 &\r\n[1] 42\r\n');
    await nextTurn();
    // SIGTERM: the screens are saved, the sockets closed with 1001, the shell left running.
    await first.closeAll(CloseCode.serverShutdown, 'server shutting down');
    expect(driver.endedShells).toEqual([]);

    const second = new TerminalRegistry(driver, 64 * 1024, await ScreenStore.open(dir));
    // The page asks which tabs exist before any socket reconnects.
    expect(second.numbersOf(KEY, 'node1')).toEqual([2]);
    const terminal = await second.open(KEY, 'node1', 'container-1', 2);
    expect(driver.shells.map((s) => s.name)).toEqual(['2', '2']);
    const client = new ScreenClient();
    terminal.attach(client);
    expect(client.output).toBe('[node1] ~ # sleep 1000 &\r\n[1] 42\r\n');
    // New output follows the replayed screen.
    driver.shells[1]!.shell.emit('[node1] ~ # ');
    await nextTurn();
    expect(client.output.endsWith('[1] 42\r\n[node1] ~ # ')).toBe(true);
  });

  it('saves only screens with new output, every interval, and forgets a screen whose shell exited', async () => {
    const dir = await storeDir();
    const driver = new FakeDriver();
    const store = await ScreenStore.open(dir);
    const registry = new TerminalRegistry(driver, 64 * 1024, store);
    await registry.open(KEY, 'node1', 'container-1', 1);
    driver.shells[0]!.shell.emit('hello\r\n');
    await nextTurn();
    await registry.saveChanged();
    expect((await store.load({ sessionKey: KEY, instance: 'node1', n: 1 }))?.toString()).toBe('hello\r\n');

    driver.shells[0]!.shell.exit(0);
    await nextTurn();
    await nextTurn();
    expect(registry.numbersOf(KEY, 'node1')).toEqual([]);
    expect(await store.load({ sessionKey: KEY, instance: 'node1', n: 1 })).toBeUndefined();
  });

  it('closing a tab ends the kept shell in the sandbox, also one only the previous server had open', async () => {
    const dir = await storeDir();
    const driver = new FakeDriver();
    const first = new TerminalRegistry(driver, 64 * 1024, await ScreenStore.open(dir));
    await first.open(KEY, 'node1', 'container-1', 1);
    await first.open(KEY, 'node1', 'container-1', 3);
    driver.shells[1]!.shell.emit('three');
    await nextTurn();
    await first.closeAll(CloseCode.serverShutdown, 'server shutting down');

    const second = new TerminalRegistry(driver, 64 * 1024, await ScreenStore.open(dir));
    const terminal = await second.open(KEY, 'node1', 'container-1', 1);
    const client = new ScreenClient();
    terminal.attach(client);
    expect(await second.closeTerminal(KEY, 'node1', 'container-1', 1, CloseCode.shellExited, 'terminal closed')).toBe(true);
    expect(client.closedWith).toBe(CloseCode.shellExited);
    // Tab 3 was never reopened after the restart: it still has its shell, and closing it ends that.
    expect(await second.closeTerminal(KEY, 'node1', 'container-1', 3, CloseCode.shellExited, 'terminal closed')).toBe(true);
    expect(driver.endedShells).toEqual(['container-1/1', 'container-1/3']);
    expect(second.numbersOf(KEY, 'node1')).toEqual([]);
    expect(await second.closeTerminal(KEY, 'node1', 'container-1', 4, CloseCode.shellExited, 'terminal closed')).toBe(false);
  });

  it('an instance deleted or restarted, or a session ended, leaves no screen to replay', async () => {
    const dir = await storeDir();
    const driver = new FakeDriver();
    const store = await ScreenStore.open(dir);
    const registry = new TerminalRegistry(driver, 64 * 1024, store);
    await registry.open(KEY, 'node1', 'container-1', 1);
    await registry.open(KEY, 'node2', 'container-2', 1);
    for (const { shell } of driver.shells) shell.emit('output');
    await nextTurn();
    await registry.saveChanged();
    registry.closeInstance(KEY, 'node1', CloseCode.instanceRestarting, 'instance restarting');
    await nextTurn();
    expect(registry.numbersOf(KEY, 'node1')).toEqual([]);
    expect(registry.numbersOf(KEY, 'node2')).toEqual([1]);
    registry.closeSession(KEY, CloseCode.sessionEnded, 'session ended');
    await nextTurn();
    expect(registry.numbersOf(KEY, 'node2')).toEqual([]);
    expect(await store.load({ sessionKey: KEY, instance: 'node2', n: 1 })).toBeUndefined();
  });
});
