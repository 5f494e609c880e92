import { describe, expect, it } from 'vitest';
import { Scrollback } from './scrollback';

describe('Scrollback', () => {
  it('keeps everything under the limit', () => {
    const scrollback = new Scrollback(100);
    scrollback.append(Buffer.from('hello '));
    scrollback.append(Buffer.from('world'));
    expect(scrollback.snapshot().toString()).toBe('hello world');
    expect(scrollback.size).toBe(11);
  });

  it('drops the oldest bytes past the limit, cutting inside a chunk if needed', () => {
    const scrollback = new Scrollback(8);
    scrollback.append(Buffer.from('abcdef'));
    scrollback.append(Buffer.from('ghij'));
    expect(scrollback.snapshot().toString()).toBe('cdefghij');
    scrollback.append(Buffer.from('0123456789'));
    expect(scrollback.snapshot().toString()).toBe('23456789');
    expect(scrollback.size).toBe(8);
  });

  it('keeps nothing with a zero limit', () => {
    const scrollback = new Scrollback(0);
    scrollback.append(Buffer.from('x'));
    expect(scrollback.size).toBe(0);
  });

  it('stays bounded over many appends', () => {
    const scrollback = new Scrollback(1024);
    for (let i = 0; i < 10_000; i++) scrollback.append(Buffer.alloc(100, i % 256));
    expect(scrollback.size).toBe(1024);
    expect(scrollback.snapshot().length).toBe(1024);
  });
});
