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
  /** Output bytes sent to this client that its connection still holds (not yet taken by the network). */
  bufferedBytes(): number;
}

export interface TerminalOptions {
  instance: string;
  scrollbackBytes: number;
  /** Pause the shell's output above this many unacknowledged (or still buffered) bytes for any client. */
  highWaterBytes: number;
  /** Resume once every client is under this. */
  lowWaterBytes: number;
  /** Disconnect a client that keeps the output paused this long. */
  stallMs: number;
  /** Largest output frame sent to a client. */
  maxFrameBytes: number;
  /** Sockets attached at once; more are closed with 4429. */
  maxClients: number;
  /** Input waiting for the shell (behind a resize, or written and not yet read) beyond which more is dropped. */
  maxInputBytes: number;
  /** The size the shell was opened at (until a client sets its own); 80x24 when not given. */
  openedAt?: TerminalSize;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The longest input waits behind a resize the engine is slow to apply. */
const RESIZE_WAIT_MS = 1_000;
/** A resize the engine never answers is given up after this, so later resizes still get applied. */
const RESIZE_GIVE_UP_MS = 10_000;
/** While paused, how often the sockets' buffers are looked at again: ws has no event for them draining. */
const DRAIN_POLL_MS = 20;

export const DEFAULT_TERMINAL_OPTIONS = {
  highWaterBytes: 256 * 1024,
  lowWaterBytes: 64 * 1024,
  stallMs: 15_000,
  maxFrameBytes: 64 * 1024,
  maxClients: 8,
  maxInputBytes: 1024 * 1024,
};

/** Settles when `promise` does (rejections included) or after ms, whichever comes first. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.then(() => {}, () => {}), timeout]).finally(() => clearTimeout(timer));
}

/**
 * One shell in an instance, shared by every socket attached to it (at most maxClients). Output is
 * batched per event-loop turn, kept in a bounded scrollback, and paced by what each client has
 * acknowledged and what its socket has really drained, so a flood never grows memory without bound,
 * whatever a client claims. Input (a separate direction) stays responsive and is bounded too.
 * Disposable: dispose() closes every client; the shell ending disposes the terminal.
 */
/** How far into a shell's output its attach noise is looked for. */
const NOISE_WINDOW_BYTES = 4096;

export class Terminal {
  private readonly scrollback: Scrollback;
  private readonly flow: FlowControl<TerminalClient>;
  private readonly clients = new Set<TerminalClient>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private paused = false;
  /** Runs while the output is paused: resumes once sockets drained, drops stalled clients. */
  private pausedPoll: NodeJS.Timeout | undefined;
  private disposed = false;
  /** An engine resize call is in flight (at most one at a time). */
  private resizing = false;
  /** The latest size asked for while one was being applied; older ones are skipped. */
  private nextSize: TerminalSize | null = null;
  /** The size last given to the shell. */
  private size: TerminalSize;
  /** The program in the shell's foreground is to be made to redraw (see redrawAdoptedShell). */
  private redrawWanted = false;
  /** A screen was replayed from before this shell was attached: it may be older than the shell's. */
  private readonly adopted: boolean;
  /** Input waits behind a resize (so `stty size` typed after it sees the new size), in order. */
  private inputHeld = false;
  private heldInput: string[] = [];
  private heldInputBytes = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Clients whose input reading is paused until the shell takes what is waiting. */
  private readonly inputPaused = new Set<TerminalClient>();
  private readonly disposeListeners: Array<(code: number) => void> = [];
  /** Bytes of output taken so far: a saver compares it with what it saved last. */
  private outputBytes = 0;
  /** The shell's attach noise (ShellProcess.attachNoise) not yet seen; undefined once decided. */
  private noise: Buffer | undefined;
  /** The end of the output so far that may be the noise's beginning, held until the next chunk. */
  private noiseHeld = Buffer.alloc(0);
  /** Output bytes looked through for the noise. */
  private noiseScanned = 0;

  /** `screen`: output shown before this shell was attached (the screen a restarted server kept). */
  constructor(
    private readonly shell: ShellProcess,
    private readonly options: TerminalOptions,
    screen?: Buffer,
  ) {
    this.scrollback = new Scrollback(options.scrollbackBytes);
    this.size = options.openedAt ?? { cols: 80, rows: 24 };
    this.adopted = screen !== undefined;
    if (screen) this.scrollback.append(screen);
    this.noise = shell.attachNoise && shell.attachNoise.length > 0 ? shell.attachNoise : undefined;
    this.flow = new FlowControl(options.highWaterBytes, options.lowWaterBytes, (client) => client.bufferedBytes());
    shell.stream.on('data', (chunk: Buffer) => this.onOutput(chunk));
    shell.stream.on('drain', () => this.resumeInputIfTaken());
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

  /** `listener` gets the close code: serverShutdown means the shell lives on for the next server. */
  onDispose(listener: (code: number) => void): void {
    this.disposeListeners.push(listener);
  }

  /** Output taken so far, in bytes (grows with every batch; for savers to see a change). */
  get outputCount(): number {
    return this.outputBytes;
  }

  /** The recent output a socket that attaches now is replayed. */
  screen(): Buffer {
    return this.scrollback.snapshot();
  }

  /** Adds a client and replays recent output to it; closes it instead when the terminal is full. */
  attach(client: TerminalClient): void {
    if (this.disposed) {
      client.close(CloseCode.shellExited, 'shell exited');
      return;
    }
    // Every socket costs buffers and replay: one client must not attach hundreds to a shell.
    if (this.clients.size >= this.options.maxClients) {
      client.close(CloseCode.tooManySockets, `at most ${this.options.maxClients} sockets per terminal`);
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
    this.inputPaused.delete(client);
    this.updateFlow();
  }

  input(client: TerminalClient, data: string): void {
    if (this.disposed || !this.clients.has(client)) return;
    const bytes = Buffer.byteLength(data);
    // Reading from sockets is paused once input waits, but frames already received still arrive,
    // from up to maxClients sockets: past the bound, input is dropped rather than queued.
    if (this.inputWaitingBytes() + bytes > this.options.maxInputBytes) {
      client.sendMessage({
        type: 'error',
        code: 'input_dropped',
        message: 'The shell is not reading input and too much is already waiting: this input was dropped.',
      });
      return;
    }
    // Keystrokes sent after a resize reach the shell after it: `stty size` typed right after a
    // resize must see the new size. The wait is bounded (RESIZE_WAIT_MS).
    if (this.inputHeld) {
      this.heldInput.push(data);
      this.heldInputBytes += bytes;
    } else {
      this.shell.stream.write(data);
    }
    if (this.inputWaitingBytes() >= this.shell.stream.writableHighWaterMark && !this.inputPaused.has(client)) {
      this.inputPaused.add(client);
      client.pauseInput();
    }
  }

  /** Applies the latest size; a flood of resizes makes at most one engine call in flight plus the latest pending. */
  resize(client: TerminalClient, cols: number, rows: number): void {
    if (this.disposed || !this.clients.has(client)) return;
    this.nextSize = { cols, rows };
    this.holdInput();
    if (!this.resizing) void this.applyResizes();
  }

  /** Counts an acknowledgement; one for more than was sent is forged: error, then close with 1008. */
  ack(client: TerminalClient, bytes: number): void {
    if (!this.flow.acked(client, bytes)) {
      client.sendMessage({
        type: 'error',
        code: 'protocol_violation',
        message: `"ack" of ${bytes} bytes, but only ${this.flow.unackedOf(client)} were sent and not yet acknowledged.`,
      });
      client.close(CloseCode.protocolViolation, 'acknowledged more output than was sent');
      this.detach(client);
      return;
    }
    this.updateFlow();
  }

  /** Closes every client with this code and ends the shell. Safe to call twice. */
  dispose(code: number, reason: string): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.pausedPoll);
    clearTimeout(this.holdTimer);
    this.heldInput = [];
    this.heldInputBytes = 0;
    for (const client of this.clients) client.close(code, reason);
    this.clients.clear();
    this.shell.stream.destroy();
    for (const listener of this.disposeListeners) listener(code);
  }

  /**
   * The screen a restarted server replays was saved up to two seconds before it stopped; what the
   * shell printed after that (the end of a command, its prompt) is lost, and a shell idle at its
   * prompt prints nothing more: the person would face a half-typed line and no prompt. A change of
   * size is what makes the foreground program (readline at the prompt, vim, top) draw its line or
   * screen again, but re-attaching at the size the shell already has changes nothing, so the size
   * is moved by one row and back. Asked once the shell holder has attached (its noise was seen),
   * so the redraw reaches this server's client.
   */
  private redrawAdoptedShell(): void {
    this.redrawWanted = true;
    if (!this.resizing) void this.applyResizes();
  }

  private async applyResizes(): Promise<void> {
    this.resizing = true;
    while ((this.nextSize || this.redrawWanted) && !this.disposed) {
      // The exec may already be gone (the exit handler deals with that): failures are ignored.
      if (this.nextSize) {
        this.size = this.nextSize;
        this.nextSize = null;
        await settleWithin(this.shell.resize(this.size.cols, this.size.rows), RESIZE_GIVE_UP_MS);
      } else {
        this.redrawWanted = false;
        const { cols, rows } = this.size;
        await settleWithin(this.shell.resize(cols, rows > 1 ? rows - 1 : rows + 1), RESIZE_GIVE_UP_MS);
        await settleWithin(this.shell.resize(cols, rows), RESIZE_GIVE_UP_MS);
      }
    }
    this.resizing = false;
    this.releaseInput();
  }

  private holdInput(): void {
    this.inputHeld = true;
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.releaseInput(), RESIZE_WAIT_MS);
  }

  private releaseInput(): void {
    clearTimeout(this.holdTimer);
    this.inputHeld = false;
    if (this.disposed) return;
    const held = this.heldInput;
    this.heldInput = [];
    this.heldInputBytes = 0;
    for (const data of held) this.shell.stream.write(data);
    this.resumeInputIfTaken();
  }

  private inputWaitingBytes(): number {
    return this.heldInputBytes + this.shell.stream.writableLength;
  }

  private resumeInputIfTaken(): void {
    if (this.inputPaused.size === 0 || this.inputWaitingBytes() >= this.shell.stream.writableHighWaterMark) return;
    for (const client of this.inputPaused) client.resumeInput();
    this.inputPaused.clear();
  }

  private onOutput(data: Buffer): void {
    const chunk = this.noise ? this.dropAttachNoise(data) : data;
    if (chunk.length === 0) return;
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

  /**
   * Drops the attach noise once, where it first appears in the output's first NOISE_WINDOW_BYTES
   * (stray text, e.g. from the sandbox's first moments after a restart, may come before it), also
   * when it arrives split across chunks. Nothing else is held back but a possible start of it at a
   * chunk's end, which the next chunk settles.
   */
  private dropAttachNoise(chunk: Buffer): Buffer {
    const noise = this.noise!;
    const data = this.noiseHeld.length > 0 ? Buffer.concat([this.noiseHeld, chunk]) : chunk;
    this.noiseHeld = Buffer.alloc(0);
    const at = data.indexOf(noise);
    if (at >= 0) {
      this.noise = undefined;
      if (this.adopted) this.redrawAdoptedShell();
      return Buffer.concat([data.subarray(0, at), data.subarray(at + noise.length)]);
    }
    this.noiseScanned += data.length;
    if (this.noiseScanned > NOISE_WINDOW_BYTES) {
      this.noise = undefined;
      return data;
    }
    // Hold the longest end of the data that could be the noise's beginning.
    for (let keep = Math.min(noise.length - 1, data.length); keep > 0; keep--) {
      if (data.subarray(data.length - keep).equals(noise.subarray(0, keep))) {
        this.noiseHeld = Buffer.from(data.subarray(data.length - keep));
        this.noiseScanned -= keep;
        return data.subarray(0, data.length - keep);
      }
    }
    return data;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pendingBytes === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.outputBytes += batch.length;
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
    this.flow.observe(Date.now());
    if (!this.paused && this.flow.shouldPause()) {
      this.paused = true;
      this.shell.stream.pause();
      this.pausedPoll = setInterval(() => this.checkPaused(), DRAIN_POLL_MS);
      this.pausedPoll.unref();
    } else if (this.paused && this.flow.mayResume()) {
      this.paused = false;
      clearInterval(this.pausedPoll);
      this.shell.stream.resume();
    }
  }

  /** While paused: drop clients that held the output paused past stallMs, resume if drained. */
  private checkPaused(): void {
    for (const client of this.flow.stalledClients(Date.now(), this.options.stallMs)) {
      client.close(CloseCode.slowConsumer, 'output not acknowledged');
      this.detach(client);
    }
    this.updateFlow();
  }
}
