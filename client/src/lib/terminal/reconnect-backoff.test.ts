import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-backoff';

describe('reconnectDelay', () => {
  it('starts at half a second and doubles up to eight seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('stays bounded for absurd attempt counts', () => {
    expect(reconnectDelay(10_000)).toBe(8000);
    expect(reconnectDelay(-3)).toBe(500);
  });
});
