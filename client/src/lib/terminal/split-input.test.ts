import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_FRAME_BYTES, MAX_INPUT_CHARS } from '../../../../server/src/protocol/terminal-protocol';
import { splitInput } from './split-input';

const frameBytes = (data: string) => new TextEncoder().encode(JSON.stringify({ type: 'input', data })).length;

describe('splitInput', () => {
  it('sends keystrokes as they are', () => {
    expect(splitInput('ls\r')).toEqual(['ls\r']);
    expect(splitInput('')).toEqual([]);
  });

  it('splits a large paste into pieces the server accepts, in order', () => {
    const paste = 'x'.repeat(MAX_INPUT_CHARS * 2 + 10);
    const pieces = splitInput(paste);
    expect(pieces.map((piece) => piece.length)).toEqual([MAX_INPUT_CHARS, MAX_INPUT_CHARS, 10]);
    expect(pieces.join('')).toBe(paste);
  });

  it('never splits a surrogate pair', () => {
    const pieces = splitInput('a' + '😀'.repeat(5), 4);
    expect(pieces.join('')).toBe('a' + '😀'.repeat(5));
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(4);
      expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('keeps each frame under the byte limit even when JSON escaping inflates it', () => {
    const paste = '\u0001'.repeat(MAX_INPUT_CHARS);
    const pieces = splitInput(paste);
    expect(pieces.join('')).toBe(paste);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
      expect(frameBytes(piece)).toBeLessThanOrEqual(MAX_CLIENT_FRAME_BYTES);
    }
  });
});
