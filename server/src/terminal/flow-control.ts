/**
 * Watermark flow control over acknowledged bytes, as the xterm.js flow-control guide advises:
 * the producer (the shell's output stream) is paused while any attached client has more than
 * `high` bytes sent but not yet acknowledged as rendered, and resumed once every client is back
 * under `low`. Pure bookkeeping: the Terminal acts on what it answers.
 */
export class FlowControl<Client> {
  private readonly inFlight = new Map<Client, number>();
  private pausedSince: number | undefined;

  constructor(
    readonly high: number,
    readonly low: number,
  ) {}

  add(client: Client): void {
    this.inFlight.set(client, 0);
  }

  remove(client: Client): void {
    this.inFlight.delete(client);
  }

  /** Records bytes sent to a client. */
  sent(client: Client, bytes: number): void {
    const current = this.inFlight.get(client);
    if (current !== undefined) this.inFlight.set(client, current + bytes);
  }

  /** Records an acknowledgement; clamps so a client cannot acknowledge more than it was sent. */
  acked(client: Client, bytes: number): void {
    const current = this.inFlight.get(client);
    if (current !== undefined) this.inFlight.set(client, Math.max(0, current - bytes));
  }

  inFlightOf(client: Client): number {
    return this.inFlight.get(client) ?? 0;
  }

  /** True when the producer should be paused now (call after sent). */
  shouldPause(): boolean {
    for (const bytes of this.inFlight.values()) if (bytes > this.high) return true;
    return false;
  }

  /** True when a paused producer may resume (call after acked or remove). */
  mayResume(): boolean {
    for (const bytes of this.inFlight.values()) if (bytes > this.low) return false;
    return true;
  }

  markPaused(now: number): void {
    this.pausedSince ??= now;
  }

  markResumed(): void {
    this.pausedSince = undefined;
  }

  /** Clients over the high watermark while paused longer than stallMs: they stopped acknowledging. */
  stalledClients(now: number, stallMs: number): Client[] {
    if (this.pausedSince === undefined || now - this.pausedSince < stallMs) return [];
    return [...this.inFlight].filter(([, bytes]) => bytes > this.high).map(([client]) => client);
  }
}
