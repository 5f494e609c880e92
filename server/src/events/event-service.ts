import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock';
import { AdmissionRefusedError, BadRequestError, EventNotFoundError, PlaygroundError, SessionNotFoundError } from '../errors';
import type { Logger } from '../log';
import type { Cockpit, CockpitRow, EventCreated, EventPublic, SessionEvent } from '../protocol/api-types';
import type { SessionService } from '../sessions/session-service';
import type { WorkshopService } from '../workshops/workshop-service';
import { sessionKey } from '../sessions/session-key';
import { SeatPreparation } from './seat-preparation';
import { ClassEvent, displayName, eventSettings, newLearnerCode, newTrainerKey, resultsCsv, type EventSettings, type Learner } from './class-event';

/** A class is forgotten this long after its end. */
const KEPT_AFTER_END_MS = 24 * 3_600_000;
/** Classes kept at once: anyone may make one, so a script must not fill memory and the file with them. */
export const MAX_CLASSES = 500;

export interface EventServiceOptions {
  sessions: SessionService;
  workshops: WorkshopService;
  clock: Clock;
  logger: Logger;
  /** Starts a learner's session of the workshop, counted against `client` as POST /api/sessions is; its id. */
  startSession(client: string, workshop: string): Promise<string>;
  /** Starts a session of the workshop for a class's seat before anyone takes it (seat-preparation.ts); its id. */
  startSeat(code: string, workshop: string): Promise<string>;
  /** Where classes are kept across restarts (a JSON file beside the server's secret); none: in memory. */
  file?: string;
}

interface SavedEvent {
  code: string;
  trainerKey: string;
  settings: { title: string; workshop: string; seats: number; startsAt: string; endsAt: string };
  learners: Array<{ name: string; sessionId: string; joinedAt: string; progressAt: string; passed: number[]; current: number }>;
  messages: Array<{ at: string; text: string }>;
  /** Seats started ahead that no learner took yet (their sessions' ids). */
  readySeats?: string[];
}

/**
 * Classes (README "Classes"): a trainer makes one and gets two links, learners join with a display
 * name and get a session of the class's workshop, and the trainer's cockpit shows every learner's
 * progress (the workshop progress their sessions keep), sends messages to every learner's page, and
 * extends or ends everyone's sessions. Kept in a file, so a restart (which keeps sessions) keeps classes.
 */
export class EventService {
  readonly #byCode = new Map<string, ClassEvent>();
  readonly #byKey = new Map<string, ClassEvent>();
  /** Each learner's seat by session id: asked on every poll of a session and every watched keystroke. */
  readonly #bySession = new Map<string, { event: ClassEvent; learner: Learner }>();
  #writing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  /** Trainers' read-only sockets on each learner's terminal, by session id: the learner's page says so. */
  readonly #watchers = new Map<string, number>();
  readonly #seats: SeatPreparation;

  private constructor(private readonly options: EventServiceOptions) {
    this.#seats = new SeatPreparation({
      clock: options.clock,
      logger: options.logger,
      events: () => this.#byCode.values(),
      startSeat: options.startSeat,
      isLive: (id) => options.sessions.hasKey(sessionKey(id)),
      closeSession: (id) => options.sessions.close(id),
      changed: () => void this.#save(),
    });
  }

  static async open(options: EventServiceOptions): Promise<EventService> {
    const service = new EventService(options);
    if (options.file) {
      const saved = await readFile(options.file, 'utf8').then((text) => JSON.parse(text) as SavedEvent[], () => [] as SavedEvent[]);
      for (const entry of Array.isArray(saved) ? saved : []) {
        try {
          service.#add(revive(entry));
        } catch {
          // a damaged entry is dropped; the others load
        }
      }
    }
    return service;
  }

  #now(): Date {
    return this.options.clock.now();
  }

  #add(event: ClassEvent): void {
    this.#byCode.set(event.code, event);
    this.#byKey.set(event.trainerKey, event);
    for (const learner of event.learners) this.#bySession.set(learner.sessionId, { event, learner });
  }

  /** Classes ended more than a day ago are forgotten. */
  #sweep(): void {
    const now = this.#now().getTime();
    for (const event of this.#byCode.values()) {
      if (now - event.settings.endsAt.getTime() > KEPT_AFTER_END_MS) {
        this.#byCode.delete(event.code);
        this.#byKey.delete(event.trainerKey);
        for (const learner of event.learners) this.#bySession.delete(learner.sessionId);
      }
    }
  }

  async create(body: Record<string, unknown>): Promise<EventCreated> {
    this.#sweep();
    if (this.#byCode.size >= MAX_CLASSES) {
      throw new AdmissionRefusedError(503, `This playground already keeps ${MAX_CLASSES} classes, the most it holds at once. Please try again once some have ended.`, 3_600_000);
    }
    const titles = new Map((await this.options.workshops.list()).workshops.map((workshop) => [workshop.name, workshop.title]));
    const settings: EventSettings = eventSettings(body, this.#now(), (name) => titles.get(name));
    let code = newLearnerCode();
    while (this.#byCode.has(code)) code = newLearnerCode();
    const event = new ClassEvent(code, newTrainerKey(), settings);
    this.#add(event);
    await this.#save();
    this.#seats.fill();
    this.options.logger.info('class created', { code, workshop: settings.workshop, seats: settings.seats });
    return { code, trainerKey: event.trainerKey, learnerPath: `/e/${code}`, trainerPath: `/t/${event.trainerKey}` };
  }

  #byCodeOrThrow(code: string): ClassEvent {
    this.#sweep();
    const event = this.#byCode.get(code.toLowerCase());
    if (!event) throw new EventNotFoundError();
    return event;
  }

  #byKeyOrThrow(key: string): ClassEvent {
    this.#sweep();
    const event = this.#byKey.get(key);
    if (!event) throw new EventNotFoundError();
    return event;
  }

  publicInfo(code: string): EventPublic {
    return toPublic(this.#byCodeOrThrow(code));
  }

  /** A learner takes a seat: a session of the class's workshop, named in the cockpit by `name`. */
  async join(code: string, name: unknown, client: string): Promise<string> {
    const event = this.#byCodeOrThrow(code);
    const learnerName = displayName(name);
    event.checkJoin(this.#now());
    // A seat started ahead when there is one (taken at once: no await before it), else one now.
    let id = this.#seats.take(event);
    if (id === undefined) {
      event.holding += 1;
      try {
        id = await this.options.startSession(client, event.settings.workshop);
      } finally {
        event.holding -= 1;
      }
    }
    const learner = event.seat(learnerName, id, this.#now());
    this.#bySession.set(id, { event, learner });
    await this.#save();
    this.options.logger.info('learner joined a class', { code: event.code, seat: event.learners.length });
    return learner.sessionId;
  }

  /** The class a session is a seat of, for the learner's page. */
  eventOfSession(sessionId: string): SessionEvent | undefined {
    const seat = this.#bySession.get(sessionId);
    if (!seat) return undefined;
    return { ...toPublic(seat.event), learner: seat.learner.name, watched: (this.#watchers.get(sessionId) ?? 0) > 0, sharing: seat.learner.sharing === true };
  }

  /** The session of the class's n-th learner (1-based, in the cockpit's order), for a trainer to watch. */
  learnerSession(key: string, n: number): string {
    const learner = this.#byKeyOrThrow(key).learners[n - 1];
    if (!learner) throw new EventNotFoundError();
    return learner.sessionId;
  }

  /** The learner (by their session) lets a watching trainer type, or takes it back. */
  setSharing(sessionId: string, on: unknown): void {
    if (typeof on !== 'boolean') throw new BadRequestError('"on" must be true or false.');
    const seat = this.#bySession.get(sessionId);
    if (!seat) throw new EventNotFoundError();
    seat.learner.sharing = on;
  }

  isSharing(sessionId: string): boolean {
    return this.#bySession.get(sessionId)?.learner.sharing === true;
  }

  /** A trainer started (+1) or stopped (-1) watching the learner's terminal. */
  watching(sessionId: string, change: 1 | -1): void {
    const count = (this.#watchers.get(sessionId) ?? 0) + change;
    if (count > 0) this.#watchers.set(sessionId, count);
    else this.#watchers.delete(sessionId);
  }

  async cockpit(key: string): Promise<Cockpit> {
    const event = this.#byKeyOrThrow(key);
    const workshop = await this.options.workshops.get(event.settings.workshop).catch(() => undefined);
    const now = this.#now();
    const learners = event.learners.map((learner) => this.#row(event, learner, now));
    return {
      event: { ...toPublic(event), seats: event.settings.seats, seatsReady: event.readySeats.length, learnerPath: `/e/${event.code}` },
      steps: workshop?.steps.map((step) => step.title) ?? [],
      learners,
    };
  }

  #row(event: ClassEvent, learner: Learner, now: Date): CockpitRow {
    const base = { name: learner.name, joinedAt: learner.joinedAt.toISOString() };
    let session;
    try {
      session = this.options.sessions.get(learner.sessionId);
    } catch (error) {
      if (!(error instanceof SessionNotFoundError)) throw error;
      // Ended (closed or expired): the progress last seen stays in the grid and the results.
      return { ...base, state: 'ended', passed: learner.passed, current: learner.current, stuckSeconds: 0 };
    }
    const progress = session.workshop?.toInfo();
    event.observe(learner, progress?.passed ?? [], progress?.current ?? 1, now);
    return {
      ...base,
      state: 'live',
      passed: learner.passed,
      current: learner.current,
      stuckSeconds: Math.max(0, Math.round((now.getTime() - learner.progressAt.getTime()) / 1000)),
      sharing: learner.sharing === true,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  async broadcast(key: string, text: unknown): Promise<void> {
    const event = this.#byKeyOrThrow(key);
    event.broadcast(text, this.#now());
    await this.#save();
  }

  /** Extends every live learner's session by SESSION_EXTEND; how many were extended, and how many could not be (at their limit). */
  async extendAll(key: string): Promise<{ extended: number; atLimit: number }> {
    const event = this.#byKeyOrThrow(key);
    let extended = 0;
    let atLimit = 0;
    for (const learner of event.learners) {
      try {
        await this.options.sessions.extend(learner.sessionId);
        extended += 1;
      } catch (error) {
        if (error instanceof SessionNotFoundError) continue;
        if (error instanceof PlaygroundError && error.code === 'extend_limit') atLimit += 1;
        else throw error;
      }
    }
    return { extended, atLimit };
  }

  /**
   * Runs every live learner's current step's check, as if they had pressed Check: the grid follows
   * learners who work without pressing it. One round at a time; a failed check records nothing.
   */
  async checkEveryone(): Promise<number> {
    if (this.#checking) return 0;
    this.#checking = true;
    let passed = 0;
    try {
      const now = this.#now();
      for (const event of this.#byCode.values()) {
        if (now < event.settings.startsAt || now >= event.settings.endsAt) continue;
        for (const learner of event.learners) {
          let progress;
          try {
            progress = this.options.sessions.get(learner.sessionId).workshop?.toInfo();
          } catch {
            continue; // ended
          }
          if (!progress || progress.passed.includes(progress.current)) continue;
          const result = await this.options.workshops.check(learner.sessionId, progress.current).catch(() => undefined);
          if (result?.passed) passed += 1;
        }
      }
    } finally {
      this.#checking = false;
    }
    return passed;
  }

  /**
   * Every `intervalMs`: checks every learner, starts the seats of classes about to open, and ends
   * the seats nobody took of classes that are over.
   */
  start(intervalMs: number): void {
    this.#seats.fill();
    this.#timer ??= setInterval(() => {
      void this.prepareSeatsNow();
      void this.checkEveryone();
    }, intervalMs);
    this.#timer.unref();
  }

  /** One round of the seats' work now: ends those of classes over, starts those due. */
  async prepareSeatsNow(): Promise<void> {
    await this.#seats.releaseEnded();
    this.#seats.fill();
  }

  /** Seats started ahead of the class of this learner code that nobody took yet (for the tests and the cockpit). */
  readySeats(code: string): number {
    return this.#byCodeOrThrow(code).readySeats.length;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Ends every learner's session (the class's end, for everyone at once); how many were ended. */
  async endAll(key: string): Promise<{ ended: number }> {
    const event = this.#byKeyOrThrow(key);
    let ended = 0;
    await this.cockpit(key); // the progress as it is now, kept for the results
    for (const learner of event.learners) {
      try {
        await this.options.sessions.close(learner.sessionId);
        ended += 1;
      } catch (error) {
        if (!(error instanceof SessionNotFoundError)) throw error;
      }
    }
    // The seats nobody took end with the others: the class is over.
    await this.#seats.release(event);
    this.options.logger.info('class sessions ended', { code: event.code, ended });
    return { ended };
  }

  async resultsCsv(key: string): Promise<{ csv: string; code: string }> {
    const cockpit = await this.cockpit(key);
    const rows = cockpit.learners.map((row) => ({ name: row.name, joinedAt: new Date(row.joinedAt), passed: row.passed, current: row.current }));
    return { csv: resultsCsv(cockpit.steps, rows), code: cockpit.event.code };
  }

  /** Writes every class to the file (one write at a time; the last one wins). */
  #save(): Promise<void> {
    const file = this.options.file;
    if (!file) return Promise.resolve();
    const snapshot = JSON.stringify([...this.#byCode.values()].map(serialise));
    this.#writing = this.#writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, snapshot, { mode: 0o600 });
        await rename(temporary, file);
      })
      .catch((error: Error) => this.options.logger.warn('classes could not be saved', { error: error.message }));
    return this.#writing;
  }
}

function toPublic(event: ClassEvent): EventPublic {
  return {
    code: event.code,
    title: event.settings.title,
    workshop: event.settings.workshop,
    startsAt: event.settings.startsAt.toISOString(),
    endsAt: event.settings.endsAt.toISOString(),
    seatsLeft: event.seatsLeft(),
    messages: event.messages.map((message) => ({ at: message.at.toISOString(), text: message.text })),
  };
}

function serialise(event: ClassEvent): SavedEvent {
  const { settings } = event;
  return {
    code: event.code,
    trainerKey: event.trainerKey,
    settings: { ...settings, startsAt: settings.startsAt.toISOString(), endsAt: settings.endsAt.toISOString() },
    learners: event.learners.map((learner) => ({ ...learner, joinedAt: learner.joinedAt.toISOString(), progressAt: learner.progressAt.toISOString() })),
    messages: event.messages.map((message) => ({ at: message.at.toISOString(), text: message.text })),
    readySeats: [...event.readySeats],
  };
}

function revive(saved: SavedEvent): ClassEvent {
  const settings = { ...saved.settings, startsAt: new Date(saved.settings.startsAt), endsAt: new Date(saved.settings.endsAt) };
  if (typeof saved.code !== 'string' || typeof saved.trainerKey !== 'string' || Number.isNaN(settings.endsAt.getTime())) throw new Error('damaged');
  const event = new ClassEvent(saved.code, saved.trainerKey, settings);
  for (const learner of saved.learners ?? []) {
    const passed = Array.isArray(learner.passed) ? learner.passed.filter((step) => Number.isInteger(step)) : [];
    event.learners.push({ ...learner, passed, current: Number.isInteger(learner.current) ? learner.current : 1, joinedAt: new Date(learner.joinedAt), progressAt: new Date(learner.progressAt) });
  }
  for (const message of saved.messages ?? []) event.messages.push({ at: new Date(message.at), text: message.text });
  if (Array.isArray(saved.readySeats)) event.readySeats = saved.readySeats.filter((id) => typeof id === 'string');
  return event;
}
