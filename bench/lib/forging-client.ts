import WebSocket from 'ws';
import { PromptWatcher } from './prompt';
import { sleep, withTimeout } from './time';

/** How often the forger sends its made-up ack and a pong. */
const TICK_MS = 100;

/**
 * A hostile terminal client (issue 11): it starts a flood in its shell, stops reading its socket,
 * and every 100 ms sends an ack for output it never read plus a pong, so neither the flow control
 * nor the server's ping would notice by themselves.
 */
export class ForgingClient {
  #socket: WebSocket;
  #prompt = new PromptWatcher();
  #atPrompt: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed: { code: number; reason: string } | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      // Until the flood starts it behaves: acks what it read, so the prompt comes.
      if (!this.#timer) this.#send({ type: 'ack', bytes: data.length });
      if (this.#prompt.push(data)) this.#atPrompt?.();
    });
    socket.on('close', (code, reason) => (this.#closed = { code, reason: reason.toString() }));
    socket.on('error', () => {
      // 'close' follows.
    });
  }

  static async connect(url: string, timeoutMs = 30_000): Promise<ForgingClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client = new ForgingClient(socket);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      }),
      timeoutMs,
      'opening the forging socket',
    ).catch((error: Error) => {
      socket.terminate();
      throw error;
    });
    return client;
  }

  /** Waits for the prompt, stops reading, starts `command` and the forged acks (ackBytes each). */
  async start(command: string, ackBytes: number, promptTimeoutMs = 60_000): Promise<void> {
    if (!this.#prompt.atPrompt) {
      await withTimeout(new Promise<void>((resolve) => (this.#atPrompt = resolve)), promptTimeoutMs, 'the forger’s prompt');
    }
    this.#socket.pause();
    this.#send({ type: 'input', data: `${command}\r` });
    this.#timer = setInterval(() => {
      this.#send({ type: 'ack', bytes: ackBytes });
      if (this.#socket.readyState === WebSocket.OPEN) this.#socket.pong();
    }, TICK_MS);
  }

  /**
   * Stops forging and reads again (throwing the output away) until the server's close frame
   * arrives: its code, or null when the server had not closed the socket within timeoutMs (the
   * forger then drops the connection itself).
   */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    clearInterval(this.#timer);
    this.#socket.resume();
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed && Date.now() < deadline) await sleep(50);
    if (!this.#closed) {
      this.#socket.terminate();
      return null;
    }
    return this.#closed.code;
  }

  #send(message: unknown): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}
