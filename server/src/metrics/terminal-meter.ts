/**
 * What a terminal socket reports to the metrics: bytes each way and how long its first output took.
 * A narrow interface, so the terminal code does not depend on the Prometheus client.
 */
export interface TerminalMeter {
  /** Output bytes sent to a socket (replayed scrollback included). */
  bytesOut(bytes: number): void;
  /** Input bytes a socket sent for the shell. */
  bytesIn(bytes: number): void;
  /** Seconds from a terminal socket being accepted to its first output byte. */
  timeToPrompt(seconds: number): void;
}
