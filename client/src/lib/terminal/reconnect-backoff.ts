/** First wait before reconnecting a terminal after an unexpected close. */
export const RECONNECT_INITIAL_MS = 500;
/** Longest wait between reconnect attempts. */
export const RECONNECT_MAX_MS = 8_000;
/** After this many failed attempts in a row the terminal stops trying until the person asks. */
export const RECONNECT_MAX_ATTEMPTS = 30;

/** Delay before reconnect attempt number `attempt` (0-based): 0.5 s, 1 s, 2 s, 4 s, then 8 s. */
export function reconnectDelay(attempt: number): number {
  const exponent = Math.max(0, Math.min(Math.floor(attempt), 16));
  return Math.min(RECONNECT_INITIAL_MS * 2 ** exponent, RECONNECT_MAX_MS);
}
