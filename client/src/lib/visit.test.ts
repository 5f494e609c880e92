import { describe, expect, it } from 'vitest';
import { Visit } from './visit';

describe('Visit', () => {
  it('drops a task begun in an earlier visit', () => {
    const visit = new Visit();
    const first = visit.current;
    expect(visit.isCurrent(first)).toBe(true);
    visit.next();
    expect(visit.isCurrent(first)).toBe(false);
    expect(visit.isCurrent(visit.current)).toBe(true);
  });

  it("aborts the ending visit's requests and gives the next a live signal", () => {
    const visit = new Visit();
    expect(visit.signal).toBeUndefined();
    visit.next();
    const signal = visit.signal;
    expect(signal?.aborted).toBe(false);
    visit.next();
    expect(signal?.aborted).toBe(true);
    expect(visit.signal?.aborted).toBe(false);
  });
});
