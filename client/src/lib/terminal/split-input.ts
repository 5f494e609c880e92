import {
  encodeClientMessage,
  MAX_CLIENT_FRAME_BYTES,
  MAX_INPUT_CHARS,
} from '../../../../server/src/protocol/terminal-protocol';

const encoder = new TextEncoder();

function frameBytes(data: string): number {
  return encoder.encode(encodeClientMessage({ type: 'input', data })).length;
}

/** Cuts `text` into pieces of at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length && end - start > 1) {
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end -= 1; // keep a high surrogate with its low half
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Splits terminal input into the `data` of 'input' messages the server accepts: at most
 * MAX_INPUT_CHARS characters each, and each encoded frame within MAX_CLIENT_FRAME_BYTES (control
 * characters grow sixfold in JSON). Order is kept; joining the pieces gives back `data`.
 */
export function splitInput(data: string, maxChars = MAX_INPUT_CHARS, maxFrameBytes = MAX_CLIENT_FRAME_BYTES): string[] {
  if (data.length === 0) return [];
  const pieces: string[] = [];
  const pending = cut(data, maxChars);
  // Bounded: each split halves a piece, and a 2-unit piece always fits a sane frame limit.
  while (pending.length > 0) {
    const piece = pending.shift()!;
    if (piece.length > 2 && frameBytes(piece) > maxFrameBytes) {
      pending.unshift(...cut(piece, Math.ceil(piece.length / 2)));
      continue;
    }
    pieces.push(piece);
  }
  return pieces;
}
