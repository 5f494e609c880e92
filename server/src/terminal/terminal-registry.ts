import type { SandboxDriver } from '../sandbox/driver';
import { DEFAULT_TERMINAL_OPTIONS, Terminal } from './terminal';

const INITIAL_SIZE = { cols: 80, rows: 24 };

/** Shells one instance may have open at once (terminal tabs): numbered 1 to this. */
export const MAX_TERMINALS_PER_INSTANCE = 5;

/**
 * The live terminals, keyed by session key, instance name and number (an instance can have several
 * shells: terminal tabs). Opening is deduplicated: two sockets attaching at once share one shell.
 */
export class TerminalRegistry {
  private readonly terminals = new Map<string, Terminal>();
  private readonly opening = new Map<string, Promise<Terminal>>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly scrollbackBytes: number,
  ) {}

  /** The instance's terminal number `n`, starting a shell if it has none (or its shell has exited). */
  async open(sessionKey: string, instanceName: string, containerId: string, n = 1): Promise<Terminal> {
    const id = `${sessionKey}/${instanceName}/${n}`;
    const existing = this.terminals.get(id);
    if (existing && !existing.isDisposed) return existing;
    const pending = this.opening.get(id);
    if (pending) return pending;
    const opening = this.driver
      .openShell(containerId, INITIAL_SIZE)
      .then((shell) => {
        const terminal = new Terminal(shell, {
          ...DEFAULT_TERMINAL_OPTIONS,
          instance: instanceName,
          scrollbackBytes: this.scrollbackBytes,
        });
        this.terminals.set(id, terminal);
        terminal.onDispose(() => {
          if (this.terminals.get(id) === terminal) this.terminals.delete(id);
        });
        return terminal;
      })
      .finally(() => this.opening.delete(id));
    this.opening.set(id, opening);
    return opening;
  }

  /** Closes the session's terminals, telling their clients why. */
  closeSession(sessionKey: string, code: number, reason: string): void {
    for (const [id, terminal] of this.terminals) {
      if (id.startsWith(`${sessionKey}/`)) terminal.dispose(code, reason);
    }
  }

  /** Closes one instance's terminals (the instance is being deleted or restarted). */
  closeInstance(sessionKey: string, instanceName: string, code: number, reason: string): void {
    for (const [id, terminal] of [...this.terminals]) {
      if (id.startsWith(`${sessionKey}/${instanceName}/`)) terminal.dispose(code, reason);
    }
  }

  /** Ends one shell; false when it was not open. */
  closeTerminal(sessionKey: string, instanceName: string, n: number, code: number, reason: string): boolean {
    const terminal = this.terminals.get(`${sessionKey}/${instanceName}/${n}`);
    terminal?.dispose(code, reason);
    return terminal !== undefined;
  }

  /** The numbers of an instance's open shells, ascending. */
  numbersOf(sessionKey: string, instanceName: string): number[] {
    const prefix = `${sessionKey}/${instanceName}/`;
    return [...this.terminals.keys()]
      .filter((id) => id.startsWith(prefix))
      .map((id) => Number(id.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  closeAll(code: number, reason: string): void {
    for (const terminal of [...this.terminals.values()]) terminal.dispose(code, reason);
  }

  get size(): number {
    return this.terminals.size;
  }
}
