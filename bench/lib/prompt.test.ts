import { describe, expect, it } from 'vitest';
import { endsWithPrompt, PromptWatcher, stripAnsi } from './prompt';

const encoder = new TextEncoder();
// What bash writes for the sandbox's prompt: colours inside \[ \] and bracketed paste on.
const COLOURED_PROMPT = '\x1b[?2004h\x1b[1;34m[node1]\x1b[0m \x1b[1;32m~\x1b[0m # ';

describe('stripAnsi', () => {
  it('removes CSI, OSC and charset escapes', () => {
    expect(stripAnsi(COLOURED_PROMPT)).toBe('[node1] ~ # ');
    expect(stripAnsi('\x1b]0;title\x07a\x1b(Bb\x1b=c')).toBe('abc');
  });
});

describe('endsWithPrompt', () => {
  it('recognises the prompt with and without colours', () => {
    expect(endsWithPrompt('Starting Docker...\r\n[node1] ~ # ')).toBe(true);
    expect(endsWithPrompt(`motd\r\n${COLOURED_PROMPT}`)).toBe(true);
    expect(endsWithPrompt('[node1] /etc # ')).toBe(true);
  });

  it('does not take other output for a prompt', () => {
    expect(endsWithPrompt('Starting Docker...\r\n')).toBe(false);
    expect(endsWithPrompt('[node1] ~ # ls')).toBe(false);
    expect(endsWithPrompt('QUJDREVGRw==\r\n')).toBe(false);
  });
});

describe('PromptWatcher', () => {
  it('finds a prompt split over chunks, escapes and UTF-8 characters included', () => {
    const watcher = new PromptWatcher();
    const bytes = encoder.encode(`héllo ✓\r\n${COLOURED_PROMPT}`);
    let seen = false;
    for (let i = 0; i < bytes.length; i += 3) seen = watcher.push(bytes.subarray(i, i + 3));
    expect(seen).toBe(true);
    expect(watcher.atPrompt).toBe(true);
  });

  it('forgets a prompt once more output follows it', () => {
    const watcher = new PromptWatcher();
    expect(watcher.push(encoder.encode('[node1] ~ # '))).toBe(true);
    expect(watcher.push(encoder.encode('head -c 20M /dev/urandom | base64\r\n'))).toBe(false);
    expect(watcher.push(encoder.encode('x'.repeat(5000)))).toBe(false);
    expect(watcher.push(encoder.encode('\r\n[node1] ~ # '))).toBe(true);
  });
});
