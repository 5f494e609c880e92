import { CloseCode } from '../protocol/terminal-protocol';
import type { SandboxDriver } from '../sandbox/driver';
import { ScreenStore, type TerminalAddress } from './screen-store';
import { DEFAULT_TERMINAL_OPTIONS, Terminal } from './terminal';

const INITIAL_SIZE = { cols: 80, rows: 24 };

/** How often the screens of terminals with new output are saved (what a kill of the server may lose). */
const SAVE_EVERY_MS = 2_000;

interface LiveTerminal {
  terminal: Terminal;
  address: TerminalAddress;
  /** Terminal.outputCount when its screen was last saved. */
  savedCount: number;
}

/**
 * The live terminals, keyed by session key, instance name and number (an instance can have several
 * shells: terminal tabs). Opening is deduplicated: two sockets attaching at once share one shell.
 * The shells outlive this server (the sandbox keeps them, by name); their screens are saved in the
 * ScreenStore, so the next server reattaches to the same shell and replays what it showed.
 */
export class TerminalRegistry {
  private readonly terminals = new Map<string, LiveTerminal>();
  private readonly opening = new Map<string, Promise<Terminal>>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;

  constructor(
    private readonly driver: SandboxDriver,
    private readonly scrollbackBytes: number,
    private readonly screens: ScreenStore = ScreenStore.none(),
  ) {}

  /** The instance's terminal number `n`: its live shell, the shell the sandbox kept, or a new one. */
  async open(sessionKey: string, instanceName: string, containerId: string, n = 1): Promise<Terminal> {
    const id = `${sessionKey}/${instanceName}/${n}`;
    const existing = this.terminals.get(id);
    if (existing && !existing.terminal.isDisposed) return existing.terminal;
    const pending = this.opening.get(id);
    if (pending) return pending;
    const address = { sessionKey, instance: instanceName, n };
    const opening = Promise.all([this.driver.openShell(containerId, INITIAL_SIZE, String(n)), this.screens.load(address)])
      .then(([shell, screen]) => {
        const terminal = new Terminal(
          shell,
          { ...DEFAULT_TERMINAL_OPTIONS, instance: instanceName, scrollbackBytes: this.scrollbackBytes, openedAt: INITIAL_SIZE },
          screen,
        );
        this.terminals.set(id, { terminal, address, savedCount: terminal.outputCount });
        terminal.onDispose((code) => {
          if (this.terminals.get(id)?.terminal === terminal) this.terminals.delete(id);
          // Only a server going away leaves the shell for the next one; any other end is final.
          if (code !== CloseCode.serverShutdown) void this.screens.remove(address);
        });
        return terminal;
      })
      .finally(() => this.opening.delete(id));
    this.opening.set(id, opening);
    return opening;
  }

  /** Closes the session's terminals, telling their clients why, and forgets their screens. */
  closeSession(sessionKey: string, code: number, reason: string): void {
    for (const [id, live] of [...this.terminals]) {
      if (id.startsWith(`${sessionKey}/`)) live.terminal.dispose(code, reason);
    }
    void this.screens.removeSession(sessionKey);
  }

  /** Closes one instance's terminals (the instance is being deleted or restarted: its shells end). */
  closeInstance(sessionKey: string, instanceName: string, code: number, reason: string): void {
    for (const [id, live] of [...this.terminals]) {
      if (id.startsWith(`${sessionKey}/${instanceName}/`)) live.terminal.dispose(code, reason);
    }
    void this.screens.removeInstance(sessionKey, instanceName);
  }

  /**
   * Ends one shell (its tab was closed): the socket side here and the shell the sandbox keeps.
   * False when it was neither open here nor left by the previous server.
   */
  async closeTerminal(sessionKey: string, instanceName: string, containerId: string, n: number, code: number, reason: string): Promise<boolean> {
    const address = { sessionKey, instance: instanceName, n };
    const live = this.terminals.get(`${sessionKey}/${instanceName}/${n}`);
    const known = live !== undefined || this.screens.numbersOf(sessionKey, instanceName).includes(n);
    live?.terminal.dispose(code, reason);
    if (!known) return false;
    await this.driver.endShell(containerId, String(n));
    await this.screens.remove(address);
    return true;
  }

  /** The numbers of an instance's shells, ascending: open here, or kept from before a restart. */
  numbersOf(sessionKey: string, instanceName: string): number[] {
    const prefix = `${sessionKey}/${instanceName}/`;
    const live = [...this.terminals.keys()].filter((id) => id.startsWith(prefix)).map((id) => Number(id.slice(prefix.length)));
    return [...new Set([...live, ...this.screens.numbersOf(sessionKey, instanceName)])].sort((a, b) => a - b);
  }

  /** Forgets the saved screens of sessions that are not in `keep` (they ended while no server ran). */
  retainScreensOf(keep: ReadonlySet<string>): Promise<void> {
    return this.screens.retainOnly(keep);
  }

  /** Saves, every few seconds, the screens that changed; stop with closeAll(). */
  startSaving(everyMs = SAVE_EVERY_MS): void {
    this.saveTimer = setInterval(() => {
      this.saving ??= this.saveChanged().finally(() => (this.saving = undefined));
    }, everyMs);
    this.saveTimer.unref();
  }

  /** Saves every screen with output it has not saved yet. */
  async saveChanged(): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const live of this.terminals.values()) {
      const count = live.terminal.outputCount;
      if (count === live.savedCount || live.terminal.isDisposed) continue;
      live.savedCount = count;
      writes.push(this.screens.save(live.address, live.terminal.screen()));
    }
    await Promise.all(writes);
  }

  /** The server is going: saves the screens, then closes every socket (the shells stay in their sandboxes). */
  async closeAll(code: number, reason: string): Promise<void> {
    clearInterval(this.saveTimer);
    await this.saving;
    if (code === CloseCode.serverShutdown) await this.saveChanged();
    for (const live of [...this.terminals.values()]) live.terminal.dispose(code, reason);
  }

  get size(): number {
    return this.terminals.size;
  }
}
