// Slots admission sets aside at the moment it says yes, so that requests arriving together cannot
// all pass a cap that only running sessions and instances would count: a sandbox takes seconds to
// start, and every request admitted in those seconds saw the same, too low, count.

/** What the session service does with a reservation while it starts what was admitted. */
export interface SlotReservation {
  /** The reserved session exists now under this key (counted as live from here on). */
  sessionStarted(key: string): void;
  /** One reserved instance has started (counted as live from here on) or will not start. */
  instanceSettled(): void;
  /** Instances still reserved and not yet settled. */
  readonly instancesHeld: number;
  /**
   * Gives back everything still held: the start failed, or the session is gone. A session that
   * had started is forgotten for its client too. Safe to call more than once.
   */
  release(): void;
}

/** Counts of what is reserved but not yet running, and whose sessions are whose. */
export class ReservationLedger {
  sessions = 0;
  instances = 0;
  /** Sessions admitted for each client and not yet ended (reserved or live). */
  private readonly perClient = new Map<string, number>();
  /** Live sessions' clients, by session key. */
  private readonly owners = new Map<string, string>();

  sessionsOf(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  reserve(client: string, instances: number, withSession: boolean): SlotReservation {
    if (withSession) {
      this.sessions += 1;
      this.perClient.set(client, this.sessionsOf(client) + 1);
    }
    this.instances += instances;
    return new Reservation(this, client, withSession ? 'reserved' : 'none', instances);
  }

  /** A live session became its client's (it counts against the client until it ends). */
  own(key: string, client: string): void {
    this.owners.set(key, client);
  }

  /** A session ended: its client may start another. Does nothing for a key it does not know. */
  sessionEnded(key: string): void {
    const client = this.owners.get(key);
    if (client === undefined) return;
    this.owners.delete(key);
    this.dropClientSession(client);
  }

  dropClientSession(client: string): void {
    const count = this.sessionsOf(client) - 1;
    if (count > 0) this.perClient.set(client, count);
    else this.perClient.delete(client); // bounded by the sessions alive, never by clients seen
  }
}

class Reservation implements SlotReservation {
  private key: string | undefined;

  constructor(
    private readonly ledger: ReservationLedger,
    private readonly client: string,
    private session: 'none' | 'reserved' | 'live' | 'released',
    private instances: number,
  ) {}

  get instancesHeld(): number {
    return this.instances;
  }

  sessionStarted(key: string): void {
    if (this.session !== 'reserved') return;
    this.session = 'live';
    this.key = key;
    this.ledger.sessions -= 1;
    this.ledger.own(key, this.client);
  }

  instanceSettled(): void {
    if (this.instances === 0) return;
    this.instances -= 1;
    this.ledger.instances -= 1;
  }

  release(): void {
    if (this.session === 'reserved') {
      this.ledger.sessions -= 1;
      this.ledger.dropClientSession(this.client);
    } else if (this.session === 'live') {
      this.ledger.sessionEnded(this.key!);
    }
    if (this.session !== 'none') this.session = 'released';
    this.ledger.instances -= this.instances;
    this.instances = 0;
  }
}
