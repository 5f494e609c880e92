import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { AdmissionRefusedError, PlaygroundError } from '../errors';
import type { Logger } from '../log';
import type { SlotReservation } from './reservation';

/**
 * The waiting room (README: "Waiting room"): when the machine is full, a visitor joins a line
 * instead of failing, sees their place and an estimate, and their session starts by itself when
 * room frees. One ticket per client (joining again returns it), a bounded line, first come first
 * served. A ticket nobody asks about for `idleMs` is dropped (the tab was closed), and a session
 * started for a ticket nobody collects is closed again.
 */

export type TicketState = 'waiting' | 'admitted' | 'failed';

export interface TicketStatus {
  state: TicketState;
  /** 1 for the head of the line; 0 once admitted or failed. */
  position: number;
  /** Seconds until the visitor's place frees at the latest (the sessions ahead expiring), or null when unknown. */
  estimateSeconds: number | null;
  /** Once admitted: the session's id (the capability), handed to the ticket's holder only. */
  sessionId?: string;
  /** Once failed: why, in words. */
  error?: { code: string; message: string };
}

interface Ticket<R> {
  id: string;
  client: string;
  request: R;
  lastSeenAt: number;
  state: TicketState;
  sessionId?: string;
  error?: { code: string; message: string };
  admittedAt?: number;
}

export interface WaitingRoomOptions<R> {
  /** Tickets waiting at most (WAITING_LINE); a visitor beyond it gets LineFullError. */
  maxLength: number;
  clock: Clock;
  logger: Logger;
  /** A ticket (waiting or admitted) nobody asked about for this long is dropped. */
  idleMs: number;
  /** Reserves room for the request, or throws AdmissionRefusedError (still full). */
  admit(client: string, request: R): SlotReservation;
  /** Starts the session on the reservation; its id. */
  start(reservation: SlotReservation, request: R): Promise<string>;
  /** Closes a session nobody came for. */
  close(sessionId: string): Promise<void>;
  /** When the live sessions expire: the k-th earliest frees the k-th place at the latest. */
  expiries(): Date[];
}

/** The line is at its bound: the visitor is told so (503) rather than queued forever. */
export class LineFullError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'line_full';
  override readonly retryAfterSeconds = 120;

  constructor(readonly maxLength: number) {
    super(`The playground is full and so is its waiting line (${maxLength} people). Please try again in a few minutes.`);
  }
}

/** A ticket that does not exist, or was dropped after nobody asked about it. */
export class TicketNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'ticket_not_found';

  constructor() {
    super('This place in line does not exist or has lapsed. Start again from the playground’s page.');
  }
}

export class WaitingRoom<R> {
  readonly #tickets = new Map<string, Ticket<R>>();
  #pumping: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WaitingRoomOptions<R>) {}

  /** People waiting (admitted and failed tickets are not in line any more). */
  get length(): number {
    return this.#waiting().length;
  }

  /** Joins the line (or returns this client's ticket already in it); its id and status. */
  join(client: string, request: R): { ticket: string; status: TicketStatus } {
    const mine = this.#waiting().find((ticket) => ticket.client === client);
    if (mine) {
      mine.lastSeenAt = this.#now();
      return { ticket: mine.id, status: this.status(mine.id) };
    }
    if (this.options.maxLength === 0) {
      throw new AdmissionRefusedError(503, 'The playground is full. Please try again in a minute.', 60_000);
    }
    if (this.length >= this.options.maxLength) throw new LineFullError(this.options.maxLength);
    const ticket: Ticket<R> = { id: randomBytes(16).toString('base64url'), client, request, lastSeenAt: this.#now(), state: 'waiting' };
    this.#tickets.set(ticket.id, ticket);
    this.options.logger.info('joined the waiting line', { position: this.length });
    void this.pump();
    return { ticket: ticket.id, status: this.status(ticket.id) };
  }

  /** Where a ticket stands; asking counts as still being there. */
  status(id: string): TicketStatus {
    const ticket = this.#tickets.get(id);
    if (!ticket) throw new TicketNotFoundError();
    ticket.lastSeenAt = this.#now();
    if (ticket.state === 'admitted') {
      // Collected: the ticket has done its work.
      this.#tickets.delete(id);
      return { state: 'admitted', position: 0, estimateSeconds: 0, sessionId: ticket.sessionId };
    }
    if (ticket.state === 'failed') {
      this.#tickets.delete(id);
      return { state: 'failed', position: 0, estimateSeconds: null, error: ticket.error };
    }
    const position = this.#waiting().indexOf(ticket) + 1;
    return { state: 'waiting', position, estimateSeconds: this.#estimate(position) };
  }

  /**
   * Takes a waiting ticket out of the line and gives back what it asked for: a front has room for
   * it on another node (the line is the cluster's, its room anywhere). A ticket admitted or failed
   * meanwhile is not waiting any more: TicketNotFoundError, and the front relays the status instead.
   */
  handOver(id: string): { client: string; request: R } {
    const ticket = this.#tickets.get(id);
    if (!ticket || ticket.state !== 'waiting') throw new TicketNotFoundError();
    this.#tickets.delete(id);
    this.options.logger.info('handed a place in line to another node', { waiting: this.length });
    return { client: ticket.client, request: ticket.request };
  }

  /** Leaves the line (Cancel, or the page closed); a ticket already gone is fine. */
  leave(id: string): void {
    const ticket = this.#tickets.get(id);
    if (ticket?.state === 'admitted' && ticket.sessionId) void this.options.close(ticket.sessionId).catch(() => {});
    this.#tickets.delete(id);
  }

  /** Checks the line every `intervalMs` (and whenever pump() is called, e.g. when a session ends). */
  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => void this.pump(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Admits from the head of the line while there is room. Runs one at a time; a call while one
   * runs queues one more run after it (room may have freed meanwhile), never more.
   */
  pump(): Promise<void> {
    if (this.#queued) return this.#queued;
    const previous = this.#pumping;
    const run = (previous ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        if (this.#queued === run) this.#queued = undefined;
        return this.#admitWhileRoom();
      })
      .catch((error: Error) => this.options.logger.error('waiting line could not admit', { error: error.message }))
      .finally(() => {
        if (this.#pumping === run) this.#pumping = undefined;
      });
    this.#pumping = run;
    if (previous) this.#queued = run;
    return run;
  }

  async #admitWhileRoom(): Promise<void> {
    this.#dropAbandoned();
    for (const ticket of this.#waiting()) {
      let reservation: SlotReservation;
      try {
        reservation = this.options.admit(ticket.client, ticket.request);
      } catch (error) {
        // Full (503): nobody behind gets in either; a per-client limit (429): the next may.
        if (error instanceof AdmissionRefusedError && error.status === 503) return;
        if (error instanceof AdmissionRefusedError) continue;
        throw error;
      }
      try {
        ticket.sessionId = await this.options.start(reservation, ticket.request);
        ticket.state = 'admitted';
        ticket.admittedAt = this.#now();
        this.options.logger.info('admitted from the waiting line', { left: this.length });
      } catch (error) {
        reservation.release();
        ticket.state = 'failed';
        ticket.error = { code: 'start_failed', message: (error as Error).message };
      }
    }
  }

  /** Tickets nobody asked about lately: the visitor left. A session made for one is closed. */
  #dropAbandoned(): void {
    const before = this.#now() - this.options.idleMs;
    for (const ticket of [...this.#tickets.values()]) {
      if (ticket.lastSeenAt >= before) continue;
      this.#tickets.delete(ticket.id);
      if (ticket.state === 'admitted' && ticket.sessionId) void this.options.close(ticket.sessionId).catch(() => {});
    }
  }

  #waiting(): Ticket<R>[] {
    return [...this.#tickets.values()].filter((ticket) => ticket.state === 'waiting');
  }

  /** The position-th earliest expiry among live sessions, from now: the latest the place frees. */
  #estimate(position: number): number | null {
    const ends = this.options.expiries().map((date) => date.getTime()).sort((a, b) => a - b);
    const end = ends[position - 1];
    return end === undefined ? null : Math.max(0, Math.round((end - this.#now()) / 1000));
  }

  #now(): number {
    return this.options.clock.now().getTime();
  }
}
