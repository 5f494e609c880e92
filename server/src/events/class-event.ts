import { randomBytes, randomInt } from 'node:crypto';
import { BadRequestError, EventClosedError, EventFullError } from '../errors';

// A class: a trainer's event (a workshop, seats, a start and an end) that learners join by a short
// code with a display name, no accounts. Pure state; event-service.ts runs it against sessions.

export interface Learner {
  name: string;
  /** The learner's session (server-side only: a trainer never gets a learner's session id). */
  sessionId: string;
  joinedAt: Date;
  /** When the learner last passed a step: who has been stuck longest. */
  progressAt: Date;
  /** Steps passed and the step shown when last seen: the results outlive the session. */
  passed: number[];
  current: number;
  /** The learner lets a watching trainer type in their terminal (their click; off again by theirs). */
  sharing?: boolean;
}

export interface TrainerMessage {
  at: Date;
  text: string;
}

export interface EventSettings {
  title: string;
  workshop: string;
  seats: number;
  startsAt: Date;
  endsAt: Date;
}

/** Learner codes avoid look-alikes (0/o, 1/l/i): they are read out in a room and typed. */
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const MAX_SEATS = 200;
export const MAX_MESSAGE_CHARS = 500;
const MAX_MESSAGES = 50;
const MAX_NAME_CHARS = 40;

export function newLearnerCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export function newTrainerKey(): string {
  return randomBytes(16).toString('base64url');
}

/** A display name as typed: trimmed, inner spaces collapsed, 1 to 40 characters, no control characters. */
export function displayName(value: unknown): string {
  const name = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new BadRequestError(`"name" must be your display name: 1 to ${MAX_NAME_CHARS} characters.`);
  }
  return name;
}

export class ClassEvent {
  readonly learners: Learner[] = [];
  readonly messages: TrainerMessage[] = [];
  /** Seats held by learners whose sessions are starting: two joining at once cannot both take the last one. */
  holding = 0;
  /** Sessions started ahead for the next learners to join (seat-preparation.ts), by id. */
  readySeats: string[] = [];

  constructor(
    readonly code: string,
    readonly trainerKey: string,
    readonly settings: EventSettings,
  ) {}

  seatsLeft(): number {
    return Math.max(0, this.settings.seats - this.learners.length - this.holding);
  }

  /** Whether a learner may join now: the class is open and has a seat. Throws the reason otherwise. */
  checkJoin(now: Date): void {
    if (now < this.settings.startsAt) throw new EventClosedError('not started', this.settings.startsAt);
    if (now >= this.settings.endsAt) throw new EventClosedError('ended', this.settings.endsAt);
    if (this.seatsLeft() === 0) throw new EventFullError(this.settings.seats);
  }

  /** A learner took a seat with a session; the same name twice is told apart by a number. */
  seat(name: string, sessionId: string, now: Date): Learner {
    const taken = new Set(this.learners.map((learner) => learner.name));
    let unique = name;
    for (let n = 2; taken.has(unique); n += 1) unique = `${name} (${n})`;
    const learner: Learner = { name: unique, sessionId, joinedAt: now, progressAt: now, passed: [], current: 1 };
    this.learners.push(learner);
    return learner;
  }

  /** A message to every learner's page (the latest 50 are kept). */
  broadcast(text: unknown, now: Date): TrainerMessage {
    const words = typeof text === 'string' ? text.trim() : '';
    if (words === '' || words.length > MAX_MESSAGE_CHARS) throw new BadRequestError(`"text" must be a message of 1 to ${MAX_MESSAGE_CHARS} characters.`);
    const message = { at: now, text: words };
    this.messages.push(message);
    if (this.messages.length > MAX_MESSAGES) this.messages.shift();
    return message;
  }

  /** Notes a learner's progress as seen now: a new pass moves `progressAt`. */
  observe(learner: Learner, passed: readonly number[], current: number, now: Date): void {
    if (passed.some((step) => !learner.passed.includes(step))) learner.progressAt = now;
    learner.passed = [...passed];
    learner.current = current;
  }
}

/** What a trainer may set when creating a class: checked, with defaults (starts now, two hours). */
export function eventSettings(body: Record<string, unknown>, now: Date, workshopTitle: (name: string) => string | undefined): EventSettings {
  const workshop = typeof body.workshop === 'string' ? body.workshop : '';
  const title = workshopTitle(workshop);
  if (!title) throw new BadRequestError('"workshop" must be the name of an installed workshop.');
  const seats = body.seats ?? 20;
  if (typeof seats !== 'number' || !Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS) throw new BadRequestError(`"seats" must be a whole number from 1 to ${MAX_SEATS}.`);
  const minutes = body.minutes ?? 120;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 10 || minutes > 12 * 60) throw new BadRequestError('"minutes" (how long the class lasts) must be a whole number from 10 to 720.');
  const startsAt = body.startsAt === undefined ? now : new Date(String(body.startsAt));
  if (Number.isNaN(startsAt.getTime())) throw new BadRequestError('"startsAt" must be a date and time (ISO 8601).');
  const custom = typeof body.title === 'string' && body.title.trim() !== '' ? body.title.trim().slice(0, 100) : undefined;
  return { title: custom ?? title, workshop, seats, startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000) };
}

/** Results as CSV: one row per learner, one column per step (1 passed, 0 not), RFC 4180 quoting. */
export function resultsCsv(stepTitles: readonly string[], rows: ReadonlyArray<{ name: string; joinedAt: Date; passed: readonly number[]; current: number }>): string {
  // A name typed as a formula (=, +, - or @ first) is kept as text for spreadsheets: a ' before it.
  const cell = (value: string) => {
    const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = ['name', 'joined', 'current step', 'steps passed', ...stepTitles.map((title, i) => `${i + 1}. ${title}`)];
  const lines = rows.map((row) => [row.name, row.joinedAt.toISOString(), String(row.current), String(row.passed.length), ...stepTitles.map((_, i) => (row.passed.includes(i + 1) ? '1' : '0'))]);
  return [header, ...lines].map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}
