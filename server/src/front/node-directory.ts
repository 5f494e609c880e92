import type { Logger } from '../log';
import { apiPaths } from '../protocol/api-paths';
import type { NodeStatus } from '../protocol/api-types';
import type { NodeSource } from './node-source';
import type { KnownNode } from './placement';

/** A node that does not answer its status within this long counts as unreachable this round. */
const STATUS_TIMEOUT_MS = 2_000;
/** A node gone from the source and silent this long is forgotten: its sessions' time has surely run out too. */
const FORGET_LOST_AFTER_MS = 15 * 60_000;

/**
 * The nodes behind this front and what each last said of itself (GET /api/node), asked every few
 * seconds. Which nodes there are comes from the source (NODES, or the swarm's members), read each
 * round: a machine that joins is used at once, one drained gets no new sessions. A node that stops
 * answering stays listed, as unreachable, so its sessions' pages can be told the machine was lost.
 */
export class NodeDirectory {
  private known: KnownNode[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly source: NodeSource,
    private readonly logger: Logger,
    private readonly intervalMs = 2_000,
  ) {}

  all(): readonly KnownNode[] {
    return this.known;
  }

  /** The node with this address, as last seen. */
  byUrl(url: string): KnownNode | undefined {
    return this.known.find((node) => node.url === url);
  }

  /** Reads the source, then asks every node for its status. */
  async refresh(): Promise<void> {
    await this.readSource();
    await Promise.all(this.known.map((node) => this.ask(node)));
  }

  /** Asks one node now (its room changed: a session was just placed there). */
  async refreshOne(url: string): Promise<void> {
    const node = this.byUrl(url);
    if (node) await this.ask(node);
  }

  start(): void {
    const round = async () => {
      await this.refresh();
      if (!this.stopped) this.timer = setTimeout(() => void round(), this.intervalMs);
    };
    void round();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * The source's list, keeping what was learnt of nodes already known. A node the source no longer
   * lists is kept, unreachable, while it was seen before: Swarm leaves a lost machine out, and its
   * sessions' pages must still be told in words.
   */
  private async readSource(): Promise<void> {
    let entries;
    try {
      entries = await this.source();
    } catch (error) {
      this.logger.warn('node list unavailable, keeping the last one', { error: (error as Error).message });
      return;
    }
    const next: KnownNode[] = entries.map((entry) => {
      const known = this.byUrl(entry.url);
      return { url: entry.url, status: known?.status, name: known?.name, error: known ? known.error : 'not asked yet', accepting: entry.accepting, ...(entry.note ? { note: entry.note } : {}) };
    });
    for (const known of this.known) {
      if (next.some((node) => node.url === known.url)) continue;
      const forgotten = known.unreachableSince !== undefined && Date.now() - known.unreachableSince > FORGET_LOST_AFTER_MS;
      if (!forgotten) next.push({ ...known, accepting: false, note: 'no longer in the cluster' });
    }
    this.known = next;
  }

  private async ask(node: KnownNode): Promise<void> {
    const wasReachable = node.status !== undefined;
    try {
      const response = await fetch(node.url + apiPaths.node, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      node.status = (await response.json()) as NodeStatus;
      node.name = node.status.node;
      node.error = undefined;
      node.unreachableSince = undefined;
      if (!wasReachable) this.logger.info('node reachable', { node: node.status.node, url: node.url });
    } catch (error) {
      node.status = undefined;
      node.error = (error as Error).message;
      node.unreachableSince ??= Date.now();
      if (wasReachable) this.logger.warn('node unreachable', { url: node.url, error: node.error });
    }
  }
}
