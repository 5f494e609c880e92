import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ClassEvent } from './class-event';

/** How long before a class opens its seats' sandboxes start. */
export const SEATS_READY_BEFORE_MS = 10 * 60_000;
/** Seats starting at once, over every class: each is a sandbox coming up, and a class of 200 must not stall the machine. */
const STARTING_AT_ONCE = 4;
/** After the playground said it is full, the next try waits this long. */
const FULL_PAUSE_MS = 60_000;

export interface SeatPreparationOptions {
  clock: Clock;
  logger: Logger;
  /** The classes, as they are now. */
  events(): Iterable<ClassEvent>;
  /** Starts a session of the workshop for a seat nobody has taken yet (admission's caps hold); its id. */
  startSeat(code: string, workshop: string): Promise<string>;
  /** Whether that session still runs (a ready seat may have expired or been closed). */
  isLive(sessionId: string): boolean;
  closeSession(sessionId: string): Promise<void>;
  /** The classes changed (a seat became ready or went): write them down. */
  changed(): void;
}

/**
 * A class's seats are started before it opens, so learners who join get a session at once, and a
 * class never meets a full playground: its seats are sessions already, counted by admission like
 * any other (the room they take is the class's). Each class gets ready as many seats as it has
 * free, from SEATS_READY_BEFORE_MS before its start until its end; a learner joining takes one
 * (EventService.join), and what no learner took is ended with the class.
 */
export class SeatPreparation {
  #starting = 0;
  readonly #startingFor = new Map<string, number>();
  #pausedUntil = 0;

  constructor(private readonly options: SeatPreparationOptions) {}

  /** Starts the seats that are due, a few at a time; each that comes up starts the next. */
  fill(): void {
    const now = this.options.clock.now().getTime();
    if (now < this.#pausedUntil) return;
    for (const event of this.options.events()) {
      if (now < event.settings.startsAt.getTime() - SEATS_READY_BEFORE_MS || now >= event.settings.endsAt.getTime()) continue;
      while (this.#starting < STARTING_AT_ONCE && this.#wanted(event) > 0) this.#startOne(event);
    }
  }

  /** A ready seat for a learner joining now, or undefined (none left: the learner's session starts then). */
  take(event: ClassEvent): string | undefined {
    while (event.readySeats.length > 0) {
      const id = event.readySeats.shift()!;
      this.options.changed();
      if (this.options.isLive(id)) return id;
    }
    return undefined;
  }

  /** Ends the seats no learner took of classes that are over (or ended by the trainer); how many. */
  async release(event: ClassEvent): Promise<number> {
    const seats = event.readySeats.splice(0);
    if (seats.length > 0) this.options.changed();
    for (const id of seats) await this.options.closeSession(id).catch(() => undefined);
    return seats.length;
  }

  /** Releases the ready seats of every class whose end has come. */
  async releaseEnded(): Promise<void> {
    const now = this.options.clock.now().getTime();
    for (const event of this.options.events()) {
      if (now >= event.settings.endsAt.getTime() && event.readySeats.length > 0) {
        const released = await this.release(event);
        this.options.logger.info('class seats nobody took were ended', { code: event.code, released });
      }
    }
  }

  #wanted(event: ClassEvent): number {
    return event.seatsLeft() - event.readySeats.length - (this.#startingFor.get(event.code) ?? 0);
  }

  #startOne(event: ClassEvent): void {
    this.#starting += 1;
    this.#startingFor.set(event.code, (this.#startingFor.get(event.code) ?? 0) + 1);
    void this.options
      .startSeat(event.code, event.settings.workshop)
      .then(
        (id) => {
          // Over, or no seat left for it (a learner who joined meanwhile started their own): not kept.
          const over = this.options.clock.now() >= event.settings.endsAt;
          if (over || event.seatsLeft() - event.readySeats.length <= 0) return this.options.closeSession(id);
          event.readySeats.push(id);
          this.options.changed();
          return undefined;
        },
        (error: Error) => {
          // Full (or the engine is away): the class takes what room comes, at the next round.
          this.#pausedUntil = this.options.clock.now().getTime() + FULL_PAUSE_MS;
          this.options.logger.warn('a class seat could not be started ahead', { code: event.code, error: error.message });
        },
      )
      .catch(() => undefined)
      .finally(() => {
        this.#starting -= 1;
        const left = (this.#startingFor.get(event.code) ?? 1) - 1;
        if (left > 0) this.#startingFor.set(event.code, left);
        else this.#startingFor.delete(event.code);
        this.fill();
      });
  }
}
