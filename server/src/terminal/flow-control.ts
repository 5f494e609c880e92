/**
 * Watermark flow control, as the xterm.js flow-control guide advises, over two measures per client:
 * bytes sent but not yet acknowledged as rendered, and bytes the socket still holds because the
 * network has not taken them (`bufferedOf`: WebSocket.bufferedAmount). Acknowledgements are the
 * client's word; the socket's buffer is not, so a client that acknowledges without reading still
 * stops the producer. The producer (the shell's output stream) is paused while any client is over
 * `high` by either measure, and resumed once every client is back under `low` by both.
 * Pure bookkeeping: the Terminal acts on what it answers.
 */
export class FlowControl<Client> {
  private readonly unacked = new Map<Client, number>();
  /** When each client went over the high watermark; cleared only once it is back under low. */
  private readonly overSince = new Map<Client, number>();

  constructor(
    readonly high: number,
    readonly low: number,
    private readonly bufferedOf: (client: Client) => number = () => 0,
  ) {}

  add(client: Client): void {
    this.unacked.set(client, 0);
  }

  remove(client: Client): void {
    this.unacked.delete(client);
    this.overSince.delete(client);
  }

  /** Records bytes sent to a client. */
  sent(client: Client, bytes: number): void {
    const current = this.unacked.get(client);
    if (current !== undefined) this.unacked.set(client, current + bytes);
  }

  /**
   * Records an acknowledgement. False, changing nothing, when it is for more bytes than were sent
   * and not yet acknowledged: a client can only acknowledge what it received, so this is forged.
   * A client already removed is not checked (its last acks may still be on the way).
   */
  acked(client: Client, bytes: number): boolean {
    const current = this.unacked.get(client);
    if (current === undefined) return true;
    if (bytes > current) return false;
    this.unacked.set(client, current - bytes);
    return true;
  }

  /** Bytes sent to this client and not yet acknowledged. */
  unackedOf(client: Client): number {
    return this.unacked.get(client) ?? 0;
  }

  /** Bytes counted against this client: the larger of unacknowledged and still buffered. */
  inFlightOf(client: Client): number {
    const unacked = this.unacked.get(client);
    if (unacked === undefined) return 0;
    return Math.max(unacked, this.bufferedOf(client));
  }

  /** True when the producer should be paused now (call after sent). */
  shouldPause(): boolean {
    for (const client of this.unacked.keys()) if (this.inFlightOf(client) > this.high) return true;
    return false;
  }

  /** True when a paused producer may resume (call after acked, remove, or a drain check). */
  mayResume(): boolean {
    for (const client of this.unacked.keys()) if (this.inFlightOf(client) > this.low) return false;
    return true;
  }

  /**
   * Notes which clients are over the high watermark at `now`. Call whenever the measures may have
   * changed. A client that acknowledges a little now and then but never gets back under low still
   * holds the output paused, so only getting under low clears its mark.
   */
  observe(now: number): void {
    for (const client of this.unacked.keys()) {
      const inFlight = this.inFlightOf(client);
      if (inFlight > this.high) {
        if (!this.overSince.has(client)) this.overSince.set(client, now);
      } else if (inFlight <= this.low) {
        this.overSince.delete(client);
      }
    }
  }

  /** Clients that went over the high watermark at least stallMs ago and are not back under low. */
  stalledClients(now: number, stallMs: number): Client[] {
    return [...this.overSince].filter(([, since]) => now - since >= stallMs).map(([client]) => client);
  }
}
