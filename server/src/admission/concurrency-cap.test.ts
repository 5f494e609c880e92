import { describe, expect, it } from 'vitest';
import { ConcurrencyCap } from './concurrency-cap';

describe('ConcurrencyCap', () => {
  it('allows max at once per key and a place again once one is given back', () => {
    const cap = new ConcurrencyCap(2);
    const first = cap.tryTake('a');
    const second = cap.tryTake('a');
    expect(first && second).toBeTruthy();
    expect(cap.tryTake('a')).toBeUndefined();
    expect(cap.tryTake('b')).toBeDefined();
    first!();
    first!(); // twice gives back one place only
    expect(cap.countOf('a')).toBe(1);
    expect(cap.tryTake('a')).toBeDefined();
    expect(cap.tryTake('a')).toBeUndefined();
  });

  it('forgets keys with nothing running', () => {
    const cap = new ConcurrencyCap(1);
    for (let i = 0; i < 1000; i++) cap.tryTake(`k${i}`)!();
    expect(cap.size).toBe(0);
  });
});
