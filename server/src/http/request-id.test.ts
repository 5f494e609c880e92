import { describe, expect, it } from 'vitest';
import { requestIdOf } from './request-id';

describe('requestIdOf', () => {
  const generate = () => 'generated';

  it('keeps a well-formed incoming id', () => {
    expect(requestIdOf('3f2b8c1e-9d4a-4b7e-8f00-123456789abc', generate)).toBe('3f2b8c1e-9d4a-4b7e-8f00-123456789abc');
    expect(requestIdOf('trace.A_b-9', generate)).toBe('trace.A_b-9');
    expect(requestIdOf('x'.repeat(64), generate)).toBe('x'.repeat(64));
  });

  it('replaces a missing, empty, too long or ill-formed id', () => {
    expect(requestIdOf(undefined, generate)).toBe('generated');
    expect(requestIdOf('', generate)).toBe('generated');
    expect(requestIdOf('x'.repeat(65), generate)).toBe('generated');
    for (const bad of ['a b', 'a\nb', 'a=b', 'ünï', 'a,b', '"quoted"', 'a/b']) expect(requestIdOf(bad, generate), bad).toBe('generated');
  });

  it('replaces repeated headers rather than choosing one', () => {
    expect(requestIdOf(['one', 'two'], generate)).toBe('generated');
  });

  it('generates UUIDs by default', () => {
    const id = requestIdOf(undefined);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestIdOf(undefined)).not.toBe(id);
  });
});
