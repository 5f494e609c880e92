import { CloseCode, type ServerMessage } from '../protocol/terminal-protocol';
import type { ShellProcess } from '../sandbox/driver';
import { FlowControl } from './flow-control';
import { Scrollback } from './scrollback';

/** One end of a terminal that people look at: in practice a WebSocket (see socket-client.ts). */
export interface TerminalClient {
  sendOutput(data: Buffer): void;
  sendMessage(message: ServerMessage): void;
  close(code: number, reason: string): void;
  /** Stop / start reading this client's input (the shell is not keeping up with a paste). */
  pauseInput(): void;
  resumeInput(): void;
}

export interface TerminalOptions {
  instance: string;
  scrollbackBytes: number;
  /** Pause the shell's output above this many unacknowledged bytes for any client. */
  highWaterBytes: number;
  /** Resume once every client is under this. */
  lowWaterBytes: number;
  /** Disconnect a client that keeps the output paused this long without acknowledging. */
  stallMs: number;
  /** Largest output frame sent to a client. */
  maxFrameBytes: number;
}

/** The longest input waits behind a resize the engine is slow to apply. */
const RESIZE_WAIT_MS = 1_000;

export const DEFAULT_TERMINAL_OPTIONS = {
  highWaterBytes: 256 * 1024,
  lowWaterBytes: 64 * 1024,
  stallMs: 15_000,
  maxFrameBytes: 64 * 1024,
};

/**
 * One shell in an instance, shared by every socket attached to it. Output is batched per event-loop
 * turn, kept in a bounded scrollback, and flow-controlled by acknowledgements, so a flood never
 * grows memory without bound and input (a separate direction) stays responsive.
 * Disposable: dispose() closes every client; the shell ending disposes the terminal.
 */
export class Terminal {
  private readonly scrollback: Scrollback;
  private readonly flow: FlowControl<TerminalClient>;
  private readonly clients = new Set<TerminalClient>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private paused = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Settles once the latest resize is applied (or RESIZE_WAIT_MS passed); null when none is. */
  private resizeInFlight: Promise<void> | null = null;
  private readonly disposeListeners: Array<() => void> = [];

  constructor(
    private readonly shell: ShellProcess,
    private readonly options: TerminalOptions,
  ) {
    this.scrollback = new Scrollback(options.scrollbackBytes);
    this.flow = new FlowControl(options.highWaterBytes, options.lowWaterBytes);
    shell.stream.on('data', (chunk: Buffer) => this.onOutput(chunk));
    shell.stream.on('error', () => {
      // The 'end'/'close' that follows reports the exit; nothing to add here.
    });
    void shell.exited.then((exitCode) => {
      this.flush();
      for (const client of this.clients) client.sendMessage({ type: 'exit', exitCode });
      this.dispose(CloseCode.shellExited, 'shell exited');
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  onDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  /** Adds a client and replays recent output to it. */
  attach(client: TerminalClient): void {
    if (this.disposed) {
      client.close(CloseCode.shellExited, 'shell exited');
      return;
    }
    // Output still waiting in the batch is not in the scrollback yet: the client gets it at the flush.
    const replay = this.scrollback.snapshot();
    this.clients.add(client);
    this.flow.add(client);
    client.sendMessage({ type: 'attached', instance: this.options.instance, replayBytes: replay.length });
    for (let offset = 0; offset < replay.length; offset += this.options.maxFrameBytes) {
      this.sendTo(client, replay.subarray(offset, offset + this.options.maxFrameBytes));
    }
    this.updateFlow();
  }

  detach(client: TerminalClient): void {
    this.clients.delete(client);
    this.flow.remove(client);
    this.updateFlow();
  }

  input(client: TerminalClient, data: string): void {
    if (this.disposed) return;
    // Keystrokes sent after a resize reach the shell after it: `stty size` typed right after a
    // resize must see the new size. The wait is bounded (RESIZE_WAIT_MS).
    const resizing = this.resizeInFlight;
    if (resizing) {
      void resizing.then(() => this.write(client, data));
      return;
    }
    this.write(client, data);
  }

  private write(client: TerminalClient, data: string): void {
    if (this.disposed) return;
    const accepted = this.shell.stream.write(data);
    if (!accepted) {
      client.pauseInput();
      this.shell.stream.once('drain', () => client.resumeInput());
    }
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    const applied = this.shell.resize(cols, rows).catch(() => {
      // The exec may already be gone; the exit handler deals with that.
    });
    const settled = Promise.race([applied, new Promise<void>((resolve) => setTimeout(resolve, RESIZE_WAIT_MS))]);
    this.resizeInFlight = settled;
    void settled.then(() => {
      if (this.resizeInFlight === settled) this.resizeInFlight = null;
    });
  }

  ack(client: TerminalClient, bytes: number): void {
    this.flow.acked(client, bytes);
    this.updateFlow();
  }

  /** Closes every client with this code and ends the shell. Safe to call twice. */
  dispose(code: number, reason: string): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.stallTimer);
    for (const client of this.clients) client.close(code, reason);
    this.clients.clear();
    this.shell.stream.destroy();
    for (const listener of this.disposeListeners) listener();
  }

  private onOutput(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.options.maxFrameBytes) {
      this.flush();
    } else if (!this.flushScheduled) {
      // Batch whatever else arrives in this turn of the event loop; adds no timer latency to echoes.
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pendingBytes === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.scrollback.append(batch);
    for (const client of this.clients) this.sendTo(client, batch);
    this.updateFlow();
  }

  private sendTo(client: TerminalClient, data: Buffer): void {
    client.sendOutput(data);
    this.flow.sent(client, data.length);
  }

  private updateFlow(): void {
    if (this.disposed) return;
    if (!this.paused && this.flow.shouldPause()) {
      this.paused = true;
      this.flow.markPaused(Date.now());
      this.shell.stream.pause();
      this.stallTimer = setTimeout(() => this.dropStalledClients(), this.options.stallMs + 100);
    } else if (this.paused && this.flow.mayResume()) {
      this.paused = false;
      this.flow.markResumed();
      clearTimeout(this.stallTimer);
      this.shell.stream.resume();
    }
  }

  private dropStalledClients(): void {
    for (const client of this.flow.stalledClients(Date.now(), this.options.stallMs)) {
      client.close(CloseCode.slowConsumer, 'output not acknowledged');
      this.detach(client);
    }
  }
}
