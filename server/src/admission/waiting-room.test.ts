import { describe, expect, it } from 'vitest';
import { AdmissionRefusedError } from '../errors';
import { silentLogger } from '../log';
import type { SlotReservation } from './reservation';
import { LineFullError, TicketNotFoundError, WaitingRoom } from './waiting-room';

function reservation(): SlotReservation {
  return { instancesHeld: 1, sessionStarted() {}, instanceSettled() {}, release() {} } as unknown as SlotReservation;
}

function room(options: { maxLength?: number; expiries?: Date[] } = {}) {
  let now = new Date('2026-12-02T12:00:00Z');
  let free = 0;
  const started: string[] = [];
  const closed: string[] = [];
  const waiting = new WaitingRoom<string>({
    maxLength: options.maxLength ?? 10,
    clock: { now: () => now },
    logger: silentLogger,
    idleMs: 60_000,
    admit: () => {
      if (free === 0) throw new AdmissionRefusedError(503, 'full', 60_000);
      free -= 1;
      return reservation();
    },
    start: async (_reservation, request) => {
      started.push(request);
      return `session-of-${request}`;
    },
    close: async (id) => void closed.push(id),
    expiries: () => options.expiries ?? [],
  });
  return {
    waiting,
    started,
    closed,
    freeUp: (n: number) => (free += n),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('WaitingRoom', () => {
  it('gives each client one place, in the order they came, with an estimate from the sessions ahead', () => {
    const { waiting } = room({ expiries: [new Date('2026-12-02T12:10:00Z'), new Date('2026-12-02T12:05:00Z')] });
    const a = waiting.join('client-a', 'a');
    const b = waiting.join('client-b', 'b');
    expect(a.status).toMatchObject({ state: 'waiting', position: 1, estimateSeconds: 300 });
    expect(b.status).toMatchObject({ state: 'waiting', position: 2, estimateSeconds: 600 });
    // Joining again is the same place, not a second one.
    expect(waiting.join('client-a', 'a again').ticket).toBe(a.ticket);
    expect(waiting.length).toBe(2);
    // More people than sessions ahead: no estimate to give.
    expect(waiting.join('client-c', 'c').status.estimateSeconds).toBeNull();
  });

  it('is bounded', () => {
    const { waiting } = room({ maxLength: 1 });
    waiting.join('client-a', 'a');
    expect(() => waiting.join('client-b', 'b')).toThrow(LineFullError);
  });

  it('starts the head of the line when room frees, and hands the session to its ticket once', async () => {
    const { waiting, started, freeUp } = room();
    const a = waiting.join('client-a', 'a');
    const b = waiting.join('client-b', 'b');
    await waiting.pump();
    expect(started).toEqual([]);
    freeUp(1);
    await waiting.pump();
    expect(started).toEqual(['a']);
    expect(waiting.status(a.ticket)).toMatchObject({ state: 'admitted', sessionId: 'session-of-a' });
    expect(() => waiting.status(a.ticket)).toThrow(TicketNotFoundError);
    expect(waiting.status(b.ticket)).toMatchObject({ state: 'waiting', position: 1 });
  });

  it('drops places nobody asks about, and closes a session nobody came for', async () => {
    const { waiting, closed, freeUp, advance } = room();
    const a = waiting.join('client-a', 'a');
    freeUp(1);
    await waiting.pump();
    const b = waiting.join('client-b', 'b');
    advance(61_000);
    await waiting.pump();
    expect(closed).toEqual(['session-of-a']);
    expect(() => waiting.status(a.ticket)).toThrow(TicketNotFoundError);
    expect(() => waiting.status(b.ticket)).toThrow(TicketNotFoundError);
    expect(waiting.length).toBe(0);
  });

  it('a visitor who leaves the line leaves no place behind', () => {
    const { waiting } = room();
    const a = waiting.join('client-a', 'a');
    waiting.leave(a.ticket);
    expect(waiting.length).toBe(0);
    waiting.leave(a.ticket);
  });
});
