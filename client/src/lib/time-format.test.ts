import { describe, expect, it } from 'vitest';
import { formatDurationWords, formatTimeLeft, msUntilNextTick } from './time-format';

describe('formatTimeLeft', () => {
  it('shows hours, minutes and seconds as h:mm:ss', () => {
    expect(formatTimeLeft(3_600_000)).toBe('1:00:00');
    expect(formatTimeLeft(59 * 60_000 + 7_000)).toBe('0:59:07');
    expect(formatTimeLeft(10 * 3_600_000 + 5_000)).toBe('10:00:05');
  });

  it('rounds partial seconds up so zero means the time is over', () => {
    expect(formatTimeLeft(14_001)).toBe('0:00:15');
    expect(formatTimeLeft(1)).toBe('0:00:01');
    expect(formatTimeLeft(0)).toBe('0:00:00');
  });

  it('never shows a negative or broken time', () => {
    expect(formatTimeLeft(-5_000)).toBe('0:00:00');
    expect(formatTimeLeft(Number.NaN)).toBe('0:00:00');
  });
});

describe('msUntilNextTick', () => {
  it('waits until the shown second changes', () => {
    expect(msUntilNextTick(14_250)).toBe(250);
    expect(msUntilNextTick(15_000)).toBe(1000);
    expect(msUntilNextTick(0.2)).toBe(1);
  });
});

describe('formatDurationWords', () => {
  it('says a lifetime in hours and minutes', () => {
    expect(formatDurationWords(4 * 3600)).toBe('4 hours');
    expect(formatDurationWords(3600 + 30 * 60)).toBe('1 hour 30 minutes');
    expect(formatDurationWords(15 * 60)).toBe('15 minutes');
    // Just under a whole hour rounds up to it, never to "1 hour 60 minutes".
    expect(formatDurationWords(2 * 3600 - 20)).toBe('2 hours');
    expect(formatDurationWords(3600 - 10)).toBe('1 hour');
    expect(formatDurationWords(60)).toBe('1 minute');
    expect(formatDurationWords(15)).toBe('15 seconds');
  });
});
