import { describe, expect, it } from 'vitest';
import { CloseCode, type ServerMessage } from '../protocol/terminal-protocol';
import { FakeShell } from '../sandbox/fake-driver';
import { Terminal, type TerminalClient } from './terminal';

class RecordingClient implements TerminalClient {
  output: Buffer[] = [];
  messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  inputPaused = false;
  sendOutput(data: Buffer) {
    this.output.push(Buffer.from(data));
  }
  sendMessage(message: ServerMessage) {
    this.messages.push(message);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  pauseInput() {
    this.inputPaused = true;
  }
  resumeInput() {
    this.inputPaused = false;
  }
  text() {
    return Buffer.concat(this.output).toString();
  }
  bytes() {
    return this.output.reduce((sum, b) => sum + b.length, 0);
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function makeTerminal(overrides: Partial<ConstructorParameters<typeof Terminal>[1]> = {}) {
  const shell = new FakeShell();
  const terminal = new Terminal(shell, {
    instance: 'node1',
    scrollbackBytes: 1024,
    highWaterBytes: 1000,
    lowWaterBytes: 100,
    stallMs: 50,
    maxFrameBytes: 256,
    ...overrides,
  });
  return { shell, terminal };
}

describe('Terminal', () => {
  it('sends attached first, then batches output to every client', async () => {
    const { shell, terminal } = makeTerminal();
    const a = new RecordingClient();
    const b = new RecordingClient();
    terminal.attach(a);
    terminal.attach(b);
    shell.emit('hello ');
    shell.emit('world');
    await nextTurn();
    await nextTurn();
    expect(a.messages[0]).toEqual({ type: 'attached', instance: 'node1', replayBytes: 0 });
    expect(a.text()).toBe('hello world');
    expect(b.text()).toBe('hello world');
    expect(a.output.length).toBe(1); // one batch, not one frame per chunk
  });

  it('replays recent output to a client that attaches later, once', async () => {
    const { shell, terminal } = makeTerminal();
    terminal.attach(new RecordingClient());
    shell.emit('earlier output\r\n');
    await nextTurn();
    await nextTurn();
    const late = new RecordingClient();
    terminal.attach(late);
    expect(late.messages[0]).toEqual({ type: 'attached', instance: 'node1', replayBytes: 16 });
    expect(late.text()).toBe('earlier output\r\n');
  });

  it('passes input and resizes to the shell', () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    terminal.input(client, 'ls\r');
    terminal.resize(100, 30);
    expect(shell.written).toEqual(['ls\r']);
    expect(shell.sizes).toEqual([[100, 30]]);
  });

  it('hands input typed right after a resize to the shell only once the resize is applied', async () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    let applyResize!: () => void;
    shell.resize = (cols: number, rows: number) => {
      shell.sizes.push([cols, rows]);
      return new Promise<void>((resolve) => (applyResize = resolve));
    };
    terminal.resize(100, 30);
    terminal.input(client, 'stty size\r');
    terminal.input(client, 'echo next\r');
    await nextTurn();
    expect(shell.written).toEqual([]);
    applyResize();
    await nextTurn();
    expect(shell.written).toEqual(['stty size\r', 'echo next\r']);
    terminal.input(client, 'later\r');
    expect(shell.written).toEqual(['stty size\r', 'echo next\r', 'later\r']);
  });

  it('pauses the shell while a client is over the high watermark and resumes after acks', async () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    shell.emit(Buffer.alloc(1200, 'x'));
    await nextTurn();
    await nextTurn();
    expect(shell.stream.isPaused()).toBe(true);
    terminal.ack(client, 1200);
    expect(shell.stream.isPaused()).toBe(false);
  });

  it('never holds more than the batch and scrollback while paused', async () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    for (let i = 0; i < 100; i++) shell.emit(Buffer.alloc(256, 'y'));
    await nextTurn();
    await nextTurn();
    // The flood stopped being read once the client was over the watermark.
    expect(client.bytes()).toBeLessThan(1000 + 256 * 2);
    expect(shell.stream.readableLength).toBeGreaterThan(0);
  });

  it('disconnects a client that stops acknowledging, so others are not held up', async () => {
    const { shell, terminal } = makeTerminal();
    const stuck = new RecordingClient();
    terminal.attach(stuck);
    shell.emit(Buffer.alloc(1200, 'z'));
    await nextTurn();
    await nextTurn();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stuck.closed?.code).toBe(CloseCode.slowConsumer);
    expect(shell.stream.isPaused()).toBe(false);
    expect(terminal.clientCount).toBe(0);
  });

  it('tells clients the exit code and closes them when the shell exits', async () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    shell.exit(3);
    await nextTurn();
    expect(client.messages.at(-1)).toEqual({ type: 'exit', exitCode: 3 });
    expect(client.closed?.code).toBe(CloseCode.shellExited);
    expect(terminal.isDisposed).toBe(true);
  });

  it('dispose closes clients with the given code and is safe twice', () => {
    const { terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    terminal.dispose(CloseCode.sessionEnded, 'session ended');
    terminal.dispose(CloseCode.sessionEnded, 'session ended');
    expect(client.closed).toEqual({ code: CloseCode.sessionEnded, reason: 'session ended' });
  });
});
