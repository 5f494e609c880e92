import { apiPaths, websocketUrl } from '../../../../server/src/protocol/api-paths';

/** The terminal WebSocket's URL on the page's own origin: wss: under https:, ws: otherwise. */
export function terminalUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  sessionId: string,
  instance: string,
  /** Which of the instance's shells (terminal tabs); 1 is the first and needs no query. */
  n = 1,
): string {
  return websocketUrl(location, apiPaths.terminal(sessionId, instance, n));
}

/** The key of a terminal in window.__playgroundTerminals: "node1" for the first tab, "node1#2" for the second. */
export function terminalKey(instance: string, n: number): string {
  return n === 1 ? instance : `${instance}#${n}`;
}

/** The tabs to show: the shells the server has open, those opened here, and the active one, ascending. */
export function visibleTabs(serverTabs: readonly number[], localTabs: readonly number[], active: number): number[] {
  return [...new Set([...serverTabs, ...localTabs, active])].sort((a, b) => a - b);
}

/** The lowest tab number not in use, or undefined when all `max` are. */
export function nextTab(tabs: readonly number[], max: number): number | undefined {
  for (let n = 1; n <= max; n++) if (!tabs.includes(n)) return n;
  return undefined;
}
