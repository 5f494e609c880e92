import { describe, expect, it } from 'vitest';
import { KERNEL_KEY_LIMITS, raisedLimit } from './kernel-keys';

describe('kernel key limits', () => {
  it('raises a default quota and leaves a larger one alone', () => {
    expect(raisedLimit('200\n', KERNEL_KEY_LIMITS.maxkeys)).toBe(KERNEL_KEY_LIMITS.maxkeys);
    expect(raisedLimit('1000000\n', KERNEL_KEY_LIMITS.maxkeys)).toBeNull();
    expect(raisedLimit('garbage', KERNEL_KEY_LIMITS.maxbytes)).toBe(KERNEL_KEY_LIMITS.maxbytes);
  });
});
