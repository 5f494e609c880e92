import { describe, expect, it } from 'vitest';
import {
  encodeClientMessage,
  MAX_INPUT_CHARS,
  parseClientMessage,
  parseServerMessage,
  ProtocolError,
} from './terminal-protocol';

function errorOf(text: string): ProtocolError {
  try {
    parseClientMessage(text);
  } catch (error) {
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('parseClientMessage', () => {
  it('round-trips every message type', () => {
    for (const message of [
      { type: 'input', data: 'ls -l\r' },
      { type: 'resize', cols: 120, rows: 40 },
      { type: 'ack', bytes: 65536 },
    ] as const) {
      expect(parseClientMessage(encodeClientMessage(message))).toEqual(message);
    }
  });

  it('drops unknown fields', () => {
    expect(parseClientMessage('{"type":"ack","bytes":5,"extra":1}')).toEqual({ type: 'ack', bytes: 5 });
  });

  it.each([
    ['not json', /not JSON/],
    ['[1,2]', /JSON object/],
    ['null', /JSON object/],
    ['{"type":"shout"}', /Unknown "type"/],
    ['{"type":"input","data":5}', /string "data"/],
    ['{"type":"resize","cols":0,"rows":10}', /cols/],
    ['{"type":"resize","cols":80.5,"rows":10}', /cols/],
    ['{"type":"resize","cols":80,"rows":100000}', /rows/],
    ['{"type":"ack","bytes":-1}', /bytes/],
  ])('refuses %s as malformed', (text, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('malformed_message');
    expect(error.message).toMatch(message);
  });

  it('refuses input over the limit with its own code', () => {
    const error = errorOf(JSON.stringify({ type: 'input', data: 'x'.repeat(MAX_INPUT_CHARS + 1) }));
    expect(error.code).toBe('input_too_large');
  });
});

describe('parseServerMessage', () => {
  it('reads known messages and ignores the rest', () => {
    expect(parseServerMessage('{"type":"exit","exitCode":0}')).toEqual({ type: 'exit', exitCode: 0 });
    expect(parseServerMessage('{"type":"future"}')).toBeNull();
    expect(parseServerMessage('garbage')).toBeNull();
  });
});
