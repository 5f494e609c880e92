import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type IDisposable } from '@xterm/xterm';
import {
  CloseCode,
  encodeClientMessage,
  parseServerMessage,
  type ClientMessage,
} from '../../../../server/src/protocol/terminal-protocol';
import { AckBatcher } from './ack-batcher';
import { reconnectDelay, RECONNECT_MAX_ATTEMPTS } from './reconnect-backoff';
import { splitInput } from './split-input';
import { clipboardAction, DEFAULT_SETTINGS, MIN_CONTRAST_RATIO, THEMES, type TerminalSettings } from './terminal-settings';
import type { TerminalStatus } from './terminal-status';
import { registerTerminalInput } from './terminal-input';
import { isLeaveKey } from './leave-key';
import { terminalKey, terminalUrl } from './terminal-url';

export interface PlaygroundTerminalOptions {
  sessionId: string;
  instance: string;
  /** Which of the instance's shells (terminal tab); default 1. */
  n?: number;
  /** Defaults to the terminal endpoint on the page's own origin. */
  url?: string;
  /** Called whenever the status changes (never from the constructor). */
  onStatus?: (status: TerminalStatus) => void;
  /** The session or instance is gone: the socket closed with 4404, 4410 or 4411. Called at most once. */
  onEnded?: (code: number) => void;
  /**
   * The shell was ended by a DELETE of its terminal (another page closed this tab): the socket closed
   * with 4000 without the 'exit' message a shell that ends by itself sends first.
   */
  onClosedElsewhere?: () => void;
  /** Font size and theme to start with (applySettings changes them later). */
  settings?: TerminalSettings;
  /** The leave key (leave-key.ts) was pressed: the page moves the focus out of the terminal. */
  onLeave?: () => void;
  /** Watching, not typing (a trainer's view of a learner's terminal): no keyboard input, no blinking cursor. */
  readOnly?: boolean;
}

/** Wait after the pane last changed size before refitting (a drag fires many events). */
const RESIZE_DEBOUNCE_MS = 80;

const FONT_FAMILY =
  'ui-monospace, "SFMono-Regular", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace';

/**
 * One browser terminal bridged to one instance's shell: owns the xterm Terminal, its addons, the
 * WebSocket and every timer and listener, and releases them all in dispose().
 *
 * Wire behaviour (see server/src/protocol/terminal-protocol.ts): output arrives as binary frames
 * and is acknowledged once rendered; 'attached' starts every connection and is followed by a
 * replay of recent output, so the screen is reset first and shows it once. An unexpected close
 * reconnects with backoff; a shell that exited restarts when the person presses Enter.
 */
export class PlaygroundTerminal {
  readonly term: Terminal;
  readonly #fit = new FitAddon();
  readonly #options: PlaygroundTerminalOptions;
  readonly #url: string;
  readonly #container: HTMLElement;
  readonly #observer: ResizeObserver;
  readonly #disposables: IDisposable[] = [];
  readonly #onWindowResize = () => this.#scheduleFit();
  /**
   * The network is back (a laptop woke up, Wi-Fi returned): try now rather than at the end of a
   * backoff that may have grown to its longest while there was no network at all.
   */
  readonly #onOnline = () => {
    if (this.#status === 'reconnecting') this.#connect();
  };

  #socket: WebSocket | null = null;
  #acks: AckBatcher | null = null;
  /** Bumped per connection so late events and write callbacks of an old socket are ignored. */
  #generation = 0;
  #attempt = 0;
  #status: TerminalStatus = 'connecting';
  #lastSize: { cols: number; rows: number } | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #resizeTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  /** Name in window.__playgroundTerminals. */
  readonly #key: string;
  #pasting = false;
  #unregisterInput: () => void = () => {};
  #heldInput: string[] = [];
  /** Whether the current connection received 'exit' (the shell ended by itself). */
  #sawExit = false;
  /**
   * The instance was restarted (close 4412): its new shell starts on a fresh replay, but what the
   * old one showed stays on screen above a line saying so, instead of the usual reset.
   */
  #keepScreenOnce = false;

  constructor(container: HTMLElement, options: PlaygroundTerminalOptions) {
    this.#container = container;
    this.#options = options;
    this.#url = options.url ?? terminalUrl(window.location, options.sessionId, options.instance, options.n ?? 1);
    this.#key = terminalKey(options.instance, options.n ?? 1);

    const settings = options.settings ?? DEFAULT_SETTINGS;
    this.term = new Terminal({
      fontFamily: FONT_FAMILY,
      fontSize: settings.fontSize,
      lineHeight: 1.1,
      cursorBlink: !options.readOnly,
      disableStdin: options.readOnly ?? false,
      scrollback: 5000,
      theme: THEMES[settings.theme],
      minimumContrastRatio: MIN_CONTRAST_RATIO,
    });
    this.term.loadAddon(this.#fit);
    this.term.loadAddon(new WebLinksAddon());
    this.term.open(container);
    this.#refit();

    this.#disposables.push(this.term.onData((data) => this.#handleInput(data)));
    // Select to copy, as in most Linux terminals.
    this.#disposables.push(this.term.onSelectionChange(() => this.copySelection()));
    this.term.attachCustomKeyEventHandler((event) => {
      if (isLeaveKey(event)) {
        event.preventDefault();
        this.#options.onLeave?.();
        return false;
      }
      const action = clipboardAction(event);
      if (!action) return true;
      event.preventDefault();
      if (action === 'copy') this.copySelection();
      else void this.pasteFromClipboard();
      return false;
    });
    this.#observer = new ResizeObserver(() => this.#scheduleFit());
    this.#observer.observe(container);
    window.addEventListener('resize', this.#onWindowResize);
    window.addEventListener('online', this.#onOnline);

    // Exposed for end-to-end tests, which read the screen through buffer.active (see global.d.ts).
    const terminals = (window.__playgroundTerminals ??= {});
    terminals[this.#key] = this.term;
    this.#unregisterInput = registerTerminalInput(this.#key, (text) => this.typeIn(text));

    this.term.focus();
    this.#connect();
  }

  get status(): TerminalStatus {
    return this.#status;
  }

  /**
   * Types text into the shell as if from the keyboard (a workshop's Run button). False while not
   * connected to a shell (the caller waits and tries again).
   */
  typeIn(text: string): boolean {
    if (this.#disposed || this.#status !== 'connected' || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#handleInput(text);
    this.term.focus();
    return true;
  }

  /** Changes font size and colours; the shell learns the new size. */
  applySettings(settings: TerminalSettings): void {
    if (this.#disposed) return;
    this.term.options.fontSize = settings.fontSize;
    this.term.options.theme = THEMES[settings.theme];
    this.#refit();
    this.#reportSize();
  }

  /** Puts the selected text on the clipboard (nothing when nothing is selected). */
  copySelection(): void {
    const text = this.term.getSelection();
    if (text) void navigator.clipboard?.writeText(text).catch(() => {});
  }

  /** Types the clipboard's text into the shell, as a paste (split into pieces the server accepts). */
  async pasteFromClipboard(): Promise<void> {
    // Keys typed while the clipboard is read (Enter right after Ctrl+Shift+V) go after the paste.
    this.#pasting = true;
    let text: string | undefined;
    try {
      text = await navigator.clipboard?.readText().catch(() => '');
    } finally {
      this.#pasting = false;
      if (text) this.term.paste(text);
      for (const held of this.#heldInput.splice(0)) this.#handleInput(held);
      this.term.focus();
    }
  }

  /** Closes the socket and releases the terminal. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#resizeTimer);
    this.#observer.disconnect();
    window.removeEventListener('resize', this.#onWindowResize);
    window.removeEventListener('online', this.#onOnline);
    this.#dropSocket(1000, 'terminal closed');
    for (const disposable of this.#disposables) disposable.dispose();
    const terminals = window.__playgroundTerminals;
    if (terminals?.[this.#key] === this.term) delete terminals[this.#key];
    this.#unregisterInput();
    this.term.dispose();
  }

  #setStatus(status: TerminalStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }

  #connect(): void {
    if (this.#disposed) return;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#dropSocket(1000, 'reconnecting');
    const generation = ++this.#generation;
    this.#sawExit = false;
    if (this.#attempt === 0) this.#setStatus('connecting');

    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#handleClose(1006);
      return;
    }
    socket.binaryType = 'arraybuffer';
    const acks = new AckBatcher((bytes) => this.#sendOn(socket, { type: 'ack', bytes }));
    this.#socket = socket;
    this.#acks = acks;

    socket.onopen = () => {
      if (generation !== this.#generation) return;
      this.#lastSize = null;
      this.#refit();
      this.#reportSize();
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (generation !== this.#generation) return;
      if (typeof event.data === 'string') {
        this.#handleControl(event.data);
      } else {
        const bytes = new Uint8Array(event.data);
        // Acknowledge only once xterm has parsed the bytes: that is what lets the server pace output.
        this.term.write(bytes, () => acks.add(bytes.byteLength));
      }
    };
    socket.onclose = (event) => {
      if (generation !== this.#generation) return;
      acks.dispose();
      this.#socket = null;
      this.#acks = null;
      this.#handleClose(event.code);
    };
  }

  /** Detaches and closes the current socket, if any, without treating it as an unexpected close. */
  #dropSocket(code: number, reason: string): void {
    const socket = this.#socket;
    this.#generation += 1;
    this.#acks?.dispose();
    this.#acks = null;
    this.#socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED && socket.readyState !== WebSocket.CLOSING) {
      socket.close(code, reason);
    }
  }

  #handleControl(text: string): void {
    const message = parseServerMessage(text);
    if (!message) return; // a newer server's message type: ignore
    switch (message.type) {
      case 'attached':
        this.#attempt = 0;
        this.#setStatus('connected');
        // The replay that follows repaints recent output; clear first so it shows once. Queued
        // behind earlier writes, so nothing from a previous connection lands after the reset.
        if (this.#keepScreenOnce) {
          this.#keepScreenOnce = false;
          this.#note(`── ${this.#options.instance} restarted: a new shell; the output above is from before ──`);
        } else {
          this.term.write('', () => this.term.reset());
        }
        break;
      case 'exit':
        this.#sawExit = true; // the close (4000) that follows is what the view acts on
        break;
      case 'error':
        console.warn(`Terminal ${this.#options.instance}: ${message.message}`);
        break;
    }
  }

  #handleClose(code: number): void {
    if (this.#disposed) return;
    if (code === CloseCode.notFound || code === CloseCode.sessionEnded || code === CloseCode.instanceRemoved) {
      this.#setStatus('ended');
      this.#options.onEnded?.(code);
      return;
    }
    if (code === CloseCode.shellExited) {
      this.#attempt = 0;
      this.#note(this.#sawExit ? '[shell exited] press Enter to restart' : '[terminal closed] press Enter to open a new shell');
      this.#setStatus('exited');
      if (!this.#sawExit) this.#options.onClosedElsewhere?.();
      return;
    }
    if (code === CloseCode.instanceRestarting) {
      this.#keepScreenOnce = true;
      this.#note(`[${this.#options.instance} is restarting: its containers, images and files stay]`);
    }
    if (this.#attempt >= RECONNECT_MAX_ATTEMPTS) {
      this.#note('[connection lost] press Enter to reconnect');
      this.#setStatus('disconnected');
      return;
    }
    const delay = reconnectDelay(this.#attempt);
    this.#attempt += 1;
    this.#setStatus('reconnecting');
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  /** Writes a dim line of our own below the output. */
  #note(text: string): void {
    this.term.write(`\r\n\x1b[2m${text}\x1b[0m\r\n`);
  }

  #handleInput(data: string): void {
    if (this.#pasting) {
      this.#heldInput.push(data);
      return;
    }
    if (this.#status === 'exited' || this.#status === 'disconnected') {
      if (data.includes('\r')) {
        this.#attempt = 0;
        this.#connect();
      }
      return;
    }
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // nothing to type into yet
    for (const piece of splitInput(data)) this.#sendOn(socket, { type: 'input', data: piece });
  }

  #sendOn(socket: WebSocket, message: ClientMessage): void {
    if (socket === this.#socket && socket.readyState === WebSocket.OPEN) {
      socket.send(encodeClientMessage(message));
    }
  }

  #scheduleFit(): void {
    if (this.#disposed) return;
    clearTimeout(this.#resizeTimer);
    this.#resizeTimer = setTimeout(() => {
      this.#refit();
      this.#reportSize();
    }, RESIZE_DEBOUNCE_MS);
  }

  /** Fits the terminal to its pane; a hidden or zero-sized pane keeps the current size. */
  #refit(): void {
    if (this.#disposed || this.#container.clientWidth === 0 || this.#container.clientHeight === 0) return;
    try {
      this.#fit.fit();
    } catch {
      // not measurable yet (fonts or layout pending); the next resize event fits it
    }
  }

  /** Tells the server the size, when it differs from what this connection last sent. */
  #reportSize(): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const { cols, rows } = this.term;
    if (this.#lastSize && this.#lastSize.cols === cols && this.#lastSize.rows === rows) return;
    this.#lastSize = { cols, rows };
    this.#sendOn(socket, { type: 'resize', cols, rows });
  }
}
