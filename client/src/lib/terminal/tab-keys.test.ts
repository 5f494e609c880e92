import { describe, expect, it } from 'vitest';
import { tabForKey } from './tab-keys';

describe('tabForKey', () => {
  it('moves to the neighbouring tab with the arrows, wrapping round', () => {
    expect(tabForKey([1, 2, 4], 2, 'ArrowRight')).toBe(4);
    expect(tabForKey([1, 2, 4], 4, 'ArrowRight')).toBe(1);
    expect(tabForKey([1, 2, 4], 1, 'ArrowLeft')).toBe(4);
    expect(tabForKey([1, 2, 4], 2, 'ArrowLeft')).toBe(1);
  });

  it('goes to the first and last tab with Home and End', () => {
    expect(tabForKey([1, 3, 5], 3, 'Home')).toBe(1);
    expect(tabForKey([1, 3, 5], 3, 'End')).toBe(5);
  });

  it('ignores other keys and a tab it does not know', () => {
    expect(tabForKey([1, 2], 1, 'Enter')).toBeUndefined();
    expect(tabForKey([1, 2], 3, 'ArrowRight')).toBeUndefined();
    expect(tabForKey([1], 1, 'ArrowRight')).toBe(1);
  });
});
