import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['90', 90_000],
    ['1d', 86_400_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '10x', '-5s', '1h 30m', 's'])('rejects %j with the accepted forms', (text) => {
    expect(() => parseDuration(text)).toThrow(/30s, 15m, 2h/);
  });
});

describe('formatDuration', () => {
  it('writes compact forms', () => {
    expect(formatDuration(4 * 3_600_000)).toBe('4h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(250)).toBe('250ms');
  });
});
