import { describe, expect, it } from 'vitest';
import { CloseCode, type ServerMessage } from '../protocol/terminal-protocol';
import { FakeShell } from '../sandbox/fake-driver';
import { Terminal, type TerminalClient } from './terminal';

class RecordingClient implements TerminalClient {
  output: Buffer[] = [];
  messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  inputPaused = false;
  /** What the socket would still hold (WebSocket.bufferedAmount). */
  buffered = 0;
  bufferedBytes() {
    return this.buffered;
  }
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeTerminal(overrides: Partial<ConstructorParameters<typeof Terminal>[1]> = {}) {
  const shell = new FakeShell();
  const terminal = new Terminal(shell, {
    instance: 'node1',
    scrollbackBytes: 1024,
    highWaterBytes: 1000,
    lowWaterBytes: 100,
    stallMs: 50,
    maxFrameBytes: 256,
    maxClients: 8,
    maxInputBytes: 4096,
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

  it('replays the screen it was given (a restarted server), then drops the clear the shell holder prints as it attaches', async () => {
    const shell = new FakeShell();
    shell.attachNoise = Buffer.from('\x1b[H\x1b[J');
    const terminal = new Terminal(shell, { ...makeTerminal().terminal['options'] }, Buffer.from('kept screen\r\n'));
    const client = new RecordingClient();
    terminal.attach(client);
    // The clear arrives split over two chunks, then the shell's own output.
    shell.emit('\x1b[H');
    shell.emit('\x1b[Jls\r\n');
    await nextTurn();
    await nextTurn();
    expect(client.text()).toBe('kept screen\r\nls\r\n');
    expect(terminal.screen().toString()).toBe('kept screen\r\nls\r\n');
    // Only at the start: the same bytes later are the shell's (`clear`).
    shell.emit('\x1b[H\x1b[J');
    await nextTurn();
    expect(client.text()).toBe('kept screen\r\nls\r\n\x1b[H\x1b[J');
  });

  it('makes an adopted shell redraw once it has attached: one row less and back, at the size it had', async () => {
    const shell = new FakeShell();
    shell.attachNoise = Buffer.from('\x1b[H\x1b[J');
    const options = { ...makeTerminal().terminal['options'], openedAt: { cols: 80, rows: 24 } };
    const terminal = new Terminal(shell, options, Buffer.from('$ echo "fir'));
    const client = new RecordingClient();
    terminal.attach(client);
    terminal.resize(client, 120, 40);
    await sleep(5);
    expect(shell.sizes).toEqual([[120, 40]]); // nothing before the shell holder has attached
    shell.emit('\x1b[H\x1b[J');
    await sleep(5);
    expect(shell.sizes).toEqual([[120, 40], [120, 39], [120, 40]]);
    // Once only: later output, even the same bytes, asks for nothing.
    shell.emit('\r\x1b[K$ \x1b[H\x1b[J');
    await sleep(5);
    expect(shell.sizes).toEqual([[120, 40], [120, 39], [120, 40]]);
  });

  it('asks a new shell (no replayed screen) for no redraw', async () => {
    const shell = new FakeShell();
    shell.attachNoise = Buffer.from('\x1b[H\x1b[J');
    const terminal = new Terminal(shell, { ...makeTerminal().terminal['options'], openedAt: { cols: 80, rows: 24 } });
    terminal.attach(new RecordingClient());
    shell.emit('\x1b[H\x1b[J$ ');
    await sleep(5);
    expect(shell.sizes).toEqual([]);
  });

  it('passes output that only starts like the attach noise', async () => {
    const shell = new FakeShell();
    shell.attachNoise = Buffer.from('\x1b[H\x1b[J');
    const terminal = new Terminal(shell, { ...makeTerminal().terminal['options'] });
    const client = new RecordingClient();
    terminal.attach(client);
    shell.emit('\x1b[H');
    shell.emit('ello');
    await nextTurn();
    await nextTurn();
    expect(client.text()).toBe('\x1b[Hello');
  });

  it('drops the attach noise also when stray text comes first (a sandbox just restarted), and only once', async () => {
    const shell = new FakeShell();
    shell.attachNoise = Buffer.from('\x1b[H\x1b[J');
    const terminal = new Terminal(shell, { ...makeTerminal().terminal['options'] }, Buffer.from('kept\r\n'));
    const client = new RecordingClient();
    terminal.attach(client);
    shell.emit('stray\r\n\x1b[H');
    shell.emit('\x1b[J$ ');
    await nextTurn();
    await nextTurn();
    expect(client.text()).toBe('kept\r\nstray\r\n$ ');
    shell.emit('\x1b[H\x1b[J');
    await nextTurn();
    expect(client.text()).toBe('kept\r\nstray\r\n$ \x1b[H\x1b[J');
  });

  it('passes input and resizes to the shell', () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    terminal.input(client, 'ls\r');
    terminal.resize(client, 100, 30);
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
    terminal.resize(client, 100, 30);
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

  it('refuses an acknowledgement of more output than was sent: error, then close with 1008', async () => {
    const { shell, terminal } = makeTerminal();
    const forger = new RecordingClient();
    const other = new RecordingClient();
    terminal.attach(forger);
    terminal.attach(other);
    shell.emit('some output');
    await nextTurn();
    await nextTurn();
    terminal.ack(forger, 11); // exactly what was sent: fine
    expect(forger.closed).toBeUndefined();
    terminal.ack(forger, 1e15);
    expect(forger.messages.at(-1)).toMatchObject({ type: 'error', code: 'protocol_violation' });
    expect(forger.closed?.code).toBe(CloseCode.protocolViolation);
    expect(terminal.clientCount).toBe(1);
    // Input from the closed socket's last frames does not reach the shell.
    terminal.input(forger, 'rm -rf /\r');
    expect(shell.written).toEqual([]);
    expect(other.closed).toBeUndefined();
  });

  it('keeps the output paused while the socket still buffers it, even when acks keep coming', async () => {
    const { shell, terminal } = makeTerminal({ stallMs: 10_000 });
    const client = new RecordingClient();
    terminal.attach(client);
    shell.emit(Buffer.alloc(1200, 'x'));
    await nextTurn();
    await nextTurn();
    client.buffered = 1200; // the peer stopped reading its socket, but claims to have rendered it all
    terminal.ack(client, 1200);
    for (let i = 0; i < 5; i++) {
      terminal.ack(client, 0);
      shell.emit(Buffer.alloc(200, 'y'));
      await sleep(30);
      expect(shell.stream.isPaused()).toBe(true);
    }
    expect(client.bytes()).toBe(1200);
    // The socket drains: the terminal notices by itself (no ack needed) and resumes.
    client.buffered = 0;
    await sleep(60);
    expect(shell.stream.isPaused()).toBe(false);
    await nextTurn();
    expect(client.bytes()).toBe(2200);
  });

  it('closes a client whose socket stays over the watermark past the stall time, though it acks', async () => {
    const { shell, terminal } = makeTerminal({ stallMs: 100 });
    const forger = new RecordingClient();
    const reader = new RecordingClient();
    terminal.attach(forger);
    terminal.attach(reader);
    shell.emit(Buffer.alloc(1200, 'z'));
    await nextTurn();
    await nextTurn();
    forger.buffered = 5000;
    terminal.ack(forger, 1200);
    terminal.ack(reader, 1200);
    const ticker = setInterval(() => terminal.ack(forger, 0), 10);
    await sleep(300);
    clearInterval(ticker);
    expect(forger.closed?.code).toBe(CloseCode.slowConsumer);
    expect(reader.closed).toBeUndefined();
    expect(shell.stream.isPaused()).toBe(false);
    expect(terminal.clientCount).toBe(1);
  });

  it('closes sockets beyond the cap per terminal with 4429', () => {
    const { terminal } = makeTerminal({ maxClients: 3 });
    const clients = Array.from({ length: 5 }, () => new RecordingClient());
    for (const client of clients) terminal.attach(client);
    expect(terminal.clientCount).toBe(3);
    expect(clients.slice(0, 3).every((client) => client.closed === undefined)).toBe(true);
    for (const extra of clients.slice(3)) {
      expect(extra.closed?.code).toBe(CloseCode.tooManySockets);
      expect(extra.messages).toEqual([]);
    }
    // A place frees up when one leaves.
    terminal.detach(clients[0]!);
    const late = new RecordingClient();
    terminal.attach(late);
    expect(late.closed).toBeUndefined();
  });

  it('coalesces resizes: one engine call in flight, then only the latest size', async () => {
    const { shell, terminal } = makeTerminal();
    const client = new RecordingClient();
    terminal.attach(client);
    let inFlight = 0;
    let most = 0;
    const finish: Array<() => void> = [];
    shell.resize = (cols: number, rows: number) => {
      shell.sizes.push([cols, rows]);
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<void>((resolve) => finish.push(() => (inFlight--, resolve())));
    };
    for (let i = 1; i <= 500; i++) terminal.resize(client, i, 10);
    expect(shell.sizes).toEqual([[1, 10]]);
    finish.shift()!();
    await nextTurn();
    expect(shell.sizes).toEqual([[1, 10], [500, 10]]);
    finish.shift()!();
    await nextTurn();
    expect(shell.sizes.length).toBe(2);
    expect(most).toBe(1);
  });

  it('bounds input waiting behind a resize: pauses the socket, drops past the bound', async () => {
    const { shell, terminal } = makeTerminal({ maxInputBytes: 32 * 1024 });
    const client = new RecordingClient();
    terminal.attach(client);
    let applyResize!: () => void;
    shell.resize = () => new Promise<void>((resolve) => (applyResize = resolve));
    terminal.resize(client, 100, 30);
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 100; i++) terminal.input(client, line);
    const dropped = client.messages.filter((m) => m.type === 'error' && m.code === 'input_dropped');
    expect(dropped.length).toBe(68);
    expect(client.inputPaused).toBe(true);
    applyResize();
    await nextTurn();
    expect(shell.written.join('').length).toBe(32_000);
    expect(client.inputPaused).toBe(false);
  });

  it('bounds input the shell is not taking: pauses the socket, drops past the bound, resumes on drain', () => {
    const { shell, terminal } = makeTerminal({ maxInputBytes: 64 * 1024 });
    const a = new RecordingClient();
    const b = new RecordingClient();
    terminal.attach(a);
    terminal.attach(b);
    // A shell that reads nothing: everything written stays in the stream's buffer.
    let waiting = 0;
    shell.stream.write = ((chunk: string) => {
      waiting += Buffer.byteLength(chunk);
      return false;
    }) as typeof shell.stream.write;
    Object.defineProperty(shell.stream, 'writableLength', { get: () => waiting });
    const chunk = 'y'.repeat(10_000);
    for (let i = 0; i < 20; i++) terminal.input(i % 2 ? a : b, chunk);
    expect(waiting).toBeLessThanOrEqual(64 * 1024);
    expect(a.inputPaused && b.inputPaused).toBe(true);
    expect(a.messages.some((m) => m.type === 'error' && m.code === 'input_dropped')).toBe(true);
    waiting = 0;
    shell.stream.emit('drain');
    expect(a.inputPaused || b.inputPaused).toBe(false);
  });
});
