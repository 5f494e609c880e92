import WebSocket from 'ws';
import { PromptWatcher } from './prompt';
import { now, withTimeout } from './time';

/** Ack at once when this many processed bytes wait (the browser client's threshold). */
const ACK_THRESHOLD_BYTES = 16 * 1024;

interface Waiter {
  test: (chunk: Buffer, atPrompt: boolean) => boolean;
  resolve: (at: number) => void;
  reject: (error: Error) => void;
}

/**
 * A terminal WebSocket client that behaves as the browser's does (docs/protocol.md): it
 * acknowledges output after processing it, coalesced (one ack per 16 KiB or per event-loop turn).
 * "Processing" here is counting the bytes and looking for the prompt.
 */
export class TerminalClient {
  /** Output bytes received since connecting (replay included). */
  bytesReceived = 0;
  #socket: WebSocket;
  #prompt = new PromptWatcher();
  #waiters = new Set<Waiter>();
  #pendingAck = 0;
  #ackScheduled = false;
  #closed: { code: number; reason: string } | null = null;
  readonly attached: Promise<{ replayBytes: number }>;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    let onAttached: (value: { replayBytes: number }) => void = () => {};
    let onAttachFailed: (error: Error) => void = () => {};
    this.attached = new Promise((resolve, reject) => ((onAttached = resolve), (onAttachFailed = reject)));
    this.attached.catch(() => {});
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        const message = JSON.parse(data.toString()) as { type: string; replayBytes?: number };
        if (message.type === 'attached') onAttached({ replayBytes: message.replayBytes ?? 0 });
        return;
      }
      const at = now();
      this.bytesReceived += data.length;
      const atPrompt = this.#prompt.push(data);
      for (const waiter of this.#waiters) {
        if (waiter.test(data, atPrompt)) {
          this.#waiters.delete(waiter);
          waiter.resolve(at);
        }
      }
      this.#ack(data.length);
    });
    socket.on('close', (code, reason) => {
      this.#closed = { code, reason: reason.toString() };
      const error = new Error(`terminal socket closed (${code} ${reason.toString()})`);
      onAttachFailed(error);
      for (const waiter of this.#waiters) waiter.reject(error);
      this.#waiters.clear();
    });
    socket.on('error', () => {
      // 'close' follows and reports it.
    });
  }

  /** Opens a socket; resolves once it is open (the 'attached' message follows: see attached). */
  static connect(url: string, timeoutMs = 30_000): Promise<TerminalClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client = new TerminalClient(socket);
    return withTimeout(
      new Promise<TerminalClient>((resolve, reject) => {
        socket.once('open', () => resolve(client));
        socket.once('close', (code) => reject(new Error(`terminal socket closed before opening (${code})`)));
        socket.once('error', (error) => reject(error));
      }),
      timeoutMs,
      'opening the terminal socket',
    ).catch((error: Error) => {
      socket.terminate();
      throw error;
    });
  }

  get atPrompt(): boolean {
    return this.#prompt.atPrompt;
  }

  get closed(): { code: number; reason: string } | null {
    return this.#closed;
  }

  #ack(bytes: number): void {
    this.#pendingAck += bytes;
    if (this.#pendingAck >= ACK_THRESHOLD_BYTES) {
      this.#flushAck();
    } else if (!this.#ackScheduled) {
      this.#ackScheduled = true;
      setImmediate(() => this.#flushAck());
    }
  }

  #flushAck(): void {
    this.#ackScheduled = false;
    if (this.#pendingAck === 0 || this.#socket.readyState !== WebSocket.OPEN) return;
    this.#socket.send(JSON.stringify({ type: 'ack', bytes: this.#pendingAck }));
    this.#pendingAck = 0;
  }

  /**
   * Resolves with the time (performance.now()) of the first output chunk from now on that passes
   * test. Register before sending what provokes the output.
   */
  waitFor(test: (chunk: Buffer, atPrompt: boolean) => boolean, timeoutMs: number, what: string): Promise<number> {
    if (this.#closed) return Promise.reject(new Error(`terminal socket closed (${this.#closed.code})`));
    let waiter: Waiter | undefined;
    const promise = new Promise<number>((resolve, reject) => {
      waiter = { test, resolve, reject };
      this.#waiters.add(waiter);
    });
    return withTimeout(promise, timeoutMs, what).finally(() => this.#waiters.delete(waiter!));
  }

  /** Resolves when the output ends with a prompt: at once if it already does. */
  waitForPrompt(timeoutMs: number): Promise<number> {
    if (this.atPrompt) return Promise.resolve(now());
    return this.waitFor((_, atPrompt) => atPrompt, timeoutMs, 'waiting for the prompt');
  }

  /** Resolves at the next output chunk that leaves the terminal at a prompt. */
  waitForNextPrompt(timeoutMs: number): Promise<number> {
    return this.waitFor((_, atPrompt) => atPrompt, timeoutMs, 'waiting for the prompt to come back');
  }

  input(data: string): void {
    this.#socket.send(JSON.stringify({ type: 'input', data }));
  }

  resize(cols: number, rows: number): void {
    this.#socket.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  /**
   * Types one character and resolves with the milliseconds until an output chunk carrying it
   * arrived (the shell's echo).
   */
  async echo(char: string, timeoutMs = 5_000): Promise<number> {
    const code = char.charCodeAt(0);
    const arrived = this.waitFor((chunk) => chunk.includes(code), timeoutMs, `echo of ${JSON.stringify(char)}`);
    const sent = now();
    this.input(char);
    return (await arrived) - sent;
  }

  close(): void {
    if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING) {
      this.#socket.close(1000, 'bench done');
    }
  }
}
