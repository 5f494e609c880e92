// Waiting for a playground server (a node or a front) to say it is healthy: what `npm run cluster`
// and `npm run deploy` wait for before they go on.

/**
 * Asks `${url}/api/health` once a second until it answers 2xx (resolves undefined), `timeoutMs`
 * passes, or `gaveUp()` says waiting is pointless (its process died): then resolves with the last
 * answer, in words, for the caller's error.
 */
export async function pollHealth(url: string, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3_000) });
      if (response.ok) return undefined;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (gaveUp()) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return last;
}
