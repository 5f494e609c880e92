import type { Logger } from '../log';
import { apiPaths } from '../protocol/api-paths';
import type { NodeStatus } from '../protocol/api-types';
import type { KnownNode } from './placement';

/** A node that does not answer its status within this long counts as unreachable this round. */
const STATUS_TIMEOUT_MS = 2_000;

/**
 * The nodes behind this front and what each last said of itself (GET /api/node), asked every few
 * seconds. The list of addresses is given (NODES); a node that stops answering stays listed, as
 * unreachable, so its sessions' pages can be told the machine was lost.
 */
export class NodeDirectory {
  private readonly known: KnownNode[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    urls: readonly string[],
    private readonly logger: Logger,
    private readonly intervalMs = 2_000,
  ) {
    this.known = urls.map((url) => ({ url: url.replace(/\/$/, ''), status: undefined, error: 'not asked yet' }));
  }

  all(): readonly KnownNode[] {
    return this.known;
  }

  /** The node with this address, as last seen. */
  byUrl(url: string): KnownNode | undefined {
    return this.known.find((node) => node.url === url);
  }

  /** Asks every node for its status now (placement calls it when what it saw looks full). */
  async refresh(): Promise<void> {
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

  private async ask(node: KnownNode): Promise<void> {
    const wasReachable = node.status !== undefined;
    try {
      const response = await fetch(node.url + apiPaths.node, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      node.status = (await response.json()) as NodeStatus;
      node.error = undefined;
      if (!wasReachable) this.logger.info('node reachable', { node: node.status.node, url: node.url });
    } catch (error) {
      node.status = undefined;
      node.error = (error as Error).message;
      if (wasReachable) this.logger.warn('node unreachable', { url: node.url, error: node.error });
    }
  }
}
