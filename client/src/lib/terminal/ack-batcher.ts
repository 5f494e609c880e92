/** Send an ack at once when this many rendered bytes are waiting to be acknowledged. */
export const ACK_THRESHOLD_BYTES = 16 * 1024;

/**
 * Coalesces acknowledgements of rendered output: many small writes become one 'ack' message, sent
 * when ACK_THRESHOLD_BYTES are pending or on the next turn of the event loop, whichever is first.
 */
export class AckBatcher {
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(
    private readonly send: (bytes: number) => void,
    private readonly threshold = ACK_THRESHOLD_BYTES,
    private readonly schedule: (run: () => void) => ReturnType<typeof setTimeout> = (run) => setTimeout(run, 0),
    private readonly cancel: (timer: ReturnType<typeof setTimeout>) => void = (timer) => clearTimeout(timer),
  ) {}

  /** Records that `bytes` more bytes were rendered. */
  add(bytes: number): void {
    if (this.#disposed || bytes <= 0) return;
    this.#pending += bytes;
    if (this.#pending >= this.threshold) {
      this.flush();
    } else if (this.#timer === undefined) {
      this.#timer = this.schedule(() => {
        this.#timer = undefined;
        this.flush();
      });
    }
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.#timer !== undefined) {
      this.cancel(this.#timer);
      this.#timer = undefined;
    }
    if (this.#disposed || this.#pending === 0) return;
    const bytes = this.#pending;
    this.#pending = 0;
    this.send(bytes);
  }

  /** Drops what is pending and ignores later calls (the connection it belonged to is gone). Safe to call twice. */
  dispose(): void {
    this.#disposed = true;
    this.#pending = 0;
    if (this.#timer !== undefined) {
      this.cancel(this.#timer);
      this.#timer = undefined;
    }
  }
}
