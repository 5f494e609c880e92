import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

const ALL = ['time-to-prompt', 'keystroke-echo', 'burst'];

describe('parseArgs', () => {
  it('runs everything in full by default', () => {
    expect(parseArgs([], ALL)).toEqual({ quick: false, only: ALL, help: false });
  });

  it('takes --quick and --only in either spelling, keeping the canonical order', () => {
    expect(parseArgs(['--only', 'burst,time-to-prompt', '--quick'], ALL)).toEqual({
      quick: true,
      only: ['time-to-prompt', 'burst'],
      help: false,
    });
    expect(parseArgs(['--only=keystroke-echo', '--only', 'burst'], ALL).only).toEqual(['keystroke-echo', 'burst']);
  });

  it('refuses unknown benchmarks and arguments with a message naming them', () => {
    expect(() => parseArgs(['--only', 'nope'], ALL)).toThrow(/unknown benchmark "nope"/);
    expect(() => parseArgs(['--fast'], ALL)).toThrow(/unknown argument "--fast"/);
    expect(() => parseArgs(['--only'], ALL)).toThrow(/needs a benchmark name/);
  });
});
