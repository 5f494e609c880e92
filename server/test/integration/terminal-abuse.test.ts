import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Playground } from '../../src/main';
import { CloseCode } from '../../src/protocol/terminal-protocol';
import { DEFAULT_TERMINAL_OPTIONS } from '../../src/terminal/terminal';
import { createSession, PROMPT, startTestPlayground, stripEscapes, TestTerminal, waitFor } from './harness';

// A hostile terminal client: it starts an endless flood, stops reading its socket, and keeps
// the connection looking alive (pongs) and the flow control fooled (acks it made up). The server
// runs in this process, so its memory is this process's memory.

const MiB = 1024 * 1024;
/**
 * Growth allowed over the run, over what a full collection leaves: a few MiB of buffers in flight.
 * Without the bounds, ws buffered the flood at about 3 MiB/s here (28 MiB in the 10 s window).
 */
const MAX_BUFFER_GROWTH = 16 * MiB;
const MAX_RSS_GROWTH = 32 * MiB;
const TICK_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A full collection before each sample, so the figures are what is held, not garbage a flood
// leaves until the next collection (the flood goes on in the shell after its socket is closed).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Memory this process holds: the largest values seen since start, over what it was at start. */
class MemoryWatch {
  private readonly before = MemoryWatch.now();
  private maxRss = this.before.rss;
  private maxBuffers = this.before.external + this.before.arrayBuffers;
  private static now(): NodeJS.MemoryUsage {
    collectGarbage();
    return process.memoryUsage();
  }
  sample(): void {
    const now = MemoryWatch.now();
    this.maxRss = Math.max(this.maxRss, now.rss);
    this.maxBuffers = Math.max(this.maxBuffers, now.external + now.arrayBuffers);
  }
  get rssGrowth(): number {
    return this.maxRss - this.before.rss;
  }
  get buffersGrowth(): number {
    return this.maxBuffers - (this.before.external + this.before.arrayBuffers);
  }
}

/** A raw client: reads (and acks honestly) until the prompt, then does what the test says. */
class Forger {
  readonly socket: WebSocket;
  output = '';
  closed: { code: number; reason: string } | undefined;
  readonly opened: Promise<void>;

  constructor(playground: Playground, id: string, query = '') {
    const url = `${playground.url.replace('http', 'ws')}/api/sessions/${id}/instances/node1/terminal${query}`;
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      // Keep only the tail: the flood read at the end must not grow the test's own memory.
      this.output = (this.output + data.toString('utf8')).slice(-4096);
      if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'ack', bytes: data.length });
    });
    this.socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  send(message: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  async startFlood(): Promise<void> {
    await this.opened;
    await waitFor('the prompt', async () => PROMPT.test(stripEscapes(this.output)), 60_000);
    // Stop reading first (the kernel's buffers fill, then ws's), then start the flood.
    this.socket.pause();
    this.send({ type: 'input', data: 'cat /dev/urandom | base64\r' });
  }

  /** Every TICK_MS for durationMs: a made-up ack and a pong (so the server's ping sees it alive). */
  async forge(durationMs: number, ackBytes: number, memory: MemoryWatch): Promise<void> {
    const deadline = Date.now() + durationMs;
    for (let tick = 0; tick < durationMs / TICK_MS + 10 && Date.now() < deadline; tick++) {
      if (this.socket.readyState !== WebSocket.OPEN) break;
      this.send({ type: 'ack', bytes: ackBytes });
      this.socket.pong();
      memory.sample();
      await sleep(TICK_MS);
    }
  }

  /** Reads again (throwing the flood away) until the server's close frame arrives. */
  async closeCode(timeoutMs: number): Promise<number> {
    this.socket.resume();
    return (await waitFor('the server to close the socket', async () => this.closed, timeoutMs)).code;
  }
}

describe('a terminal client that forges acks and stops reading', () => {
  let playground: Playground;
  let abuserId: string;
  let quietId: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    [abuserId, quietId] = (await Promise.all([createSession(playground), createSession(playground)])).map((s) => s.id) as [string, string];
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  /** Interrupts the flood left in the abuser's terminal n, through a well-behaved socket. */
  async function stopFlood(query: string): Promise<void> {
    const terminal = new TestTerminal(playground, abuserId, 'node1', true, query);
    await terminal.opened;
    terminal.type('\x03');
    terminal.type('echo flood-$((6*7))-stopped\r');
    await terminal.waitForOutput(/flood-42-stopped/, 30_000);
    terminal.close();
  }

  it('an ack of more than was sent closes the socket; memory stays bounded; another session echoes', async () => {
    const quiet = new TestTerminal(playground, quietId);
    await quiet.waitForOutput(PROMPT, 60_000);
    const forger = new Forger(playground, abuserId);
    await forger.startFlood();
    const memory = new MemoryWatch();

    const forging = forger.forge(10_000, 1e15, memory);
    await sleep(2_000);
    quiet.type('echo "quiet-$((40+2))"\r');
    await quiet.waitForOutput(/^quiet-42\r?$/m, 10_000);
    await forging;

    expect(await forger.closeCode(20_000)).toBe(CloseCode.protocolViolation);
    memory.sample();
    expect(memory.rssGrowth).toBeLessThan(MAX_RSS_GROWTH);
    expect(memory.buffersGrowth).toBeLessThan(MAX_BUFFER_GROWTH);
    quiet.close();
    await stopFlood('');
  });

  it('acks that never exceed what was sent still cannot hold the output: closed with 4408', async () => {
    const forger = new Forger(playground, abuserId, '?n=2');
    await forger.startFlood();
    const memory = new MemoryWatch();
    // Wait until the flood surely sent more than the acks will ever add up to, then ack a
    // little at a time, as if it were rendering slowly: 10 KB/s, never enough to get under low.
    await sleep(1_000);
    await forger.forge(DEFAULT_TERMINAL_OPTIONS.stallMs + 3_000, 1024, memory);

    expect(await forger.closeCode(20_000)).toBe(CloseCode.slowConsumer);
    memory.sample();
    expect(memory.rssGrowth).toBeLessThan(MAX_RSS_GROWTH);
    expect(memory.buffersGrowth).toBeLessThan(MAX_BUFFER_GROWTH);
    await stopFlood('?n=2');
  });
});
