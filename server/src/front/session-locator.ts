import { apiPaths } from '../protocol/api-paths';
import type { NodeDirectory } from './node-directory';

/** A node that does not say within this long whether it holds a session is passed over this time. */
const PROBE_TIMEOUT_MS = 2_000;
/** Sessions remembered per front: a whole cluster's worth, a few MB at most. */
const MAX_REMEMBERED = 50_000;

/**
 * Which node holds a session, by its key. A front keeps no state of its own: a session it has not
 * seen (made through another front, or before a restart) is found by asking every node, and the
 * answer is remembered until the node says it no longer holds it.
 */
export class SessionLocator {
  private readonly remembered = new Map<string, string>();
  private readonly finding = new Map<string, Promise<string | undefined>>();

  constructor(private readonly nodes: NodeDirectory) {}

  /** A session just made on that node (its POST went there). */
  remember(key: string, nodeUrl: string): void {
    this.remembered.delete(key);
    this.remembered.set(key, nodeUrl);
    if (this.remembered.size > MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
  }

  /** The node said it has no such session (404): ask around again next time. */
  forget(key: string): void {
    this.remembered.delete(key);
  }

  /** The node's address, or undefined when no node that answers holds the session. */
  async locate(key: string): Promise<string | undefined> {
    const known = this.remembered.get(key);
    if (known) return known;
    let finding = this.finding.get(key);
    if (!finding) {
      finding = this.ask(key).finally(() => this.finding.delete(key));
      this.finding.set(key, finding);
    }
    return finding;
  }

  private async ask(key: string): Promise<string | undefined> {
    const answers = await Promise.all(
      this.nodes.all().map(async (node) => {
        try {
          const response = await fetch(node.url + apiPaths.nodeSession(key), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          return response.status === 204 ? node.url : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    const holder = answers.find((url) => url !== undefined);
    if (holder) this.remember(key, holder);
    return holder;
  }
}
