import { MAX_TERMINALS_PER_INSTANCE } from '../../../../server/src/protocol/terminal-protocol';
import { nextTab, visibleTabs } from './terminal-url';

/**
 * The terminal tabs of a session's instances as this page shows them: the shells the server has
 * open (from the session), those opened here, and the one on screen. Pure page state: the server
 * calls (ending a closed tab's shell) are the Playground's.
 */
export class TerminalTabs {
  /** Tabs opened in this page, per instance (the server's open shells show too). */
  opened = $state<Record<string, number[]>>({});
  /** The tab shown, per instance (1 when none was chosen). */
  active = $state<Record<string, number>>({});

  /** The tabs of an instance, ascending, given the shells its server has open. */
  of(name: string, serverTabs: readonly number[]): number[] {
    return visibleTabs(serverTabs, this.opened[name] ?? [], this.active[name] ?? 1);
  }

  /** Opens the lowest free tab and shows it; undefined when all MAX_TERMINALS_PER_INSTANCE are open. */
  open(name: string, serverTabs: readonly number[]): number | undefined {
    const n = nextTab(this.of(name, serverTabs), MAX_TERMINALS_PER_INSTANCE);
    if (n === undefined) return undefined;
    this.opened[name] = [...(this.opened[name] ?? []), n];
    this.active[name] = n;
    return n;
  }

  select(name: string, n: number): void {
    this.active[name] = n;
  }

  /**
   * Drops tab `n` (closed here or in another page); the one on screen moves to a neighbour.
   * `serverTabs` are the server's open shells without `n`.
   */
  drop(name: string, n: number, serverTabs: readonly number[]): void {
    this.opened[name] = (this.opened[name] ?? []).filter((tab) => tab !== n);
    if ((this.active[name] ?? 1) !== n) return;
    const other = this.of(name, serverTabs).find((tab) => tab !== n);
    this.active[name] = other ?? 1;
  }

  reset(): void {
    this.opened = {};
    this.active = {};
  }
}
