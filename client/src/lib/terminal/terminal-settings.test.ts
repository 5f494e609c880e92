import { describe, expect, it } from 'vitest';
import { clipboardAction, DEFAULT_SETTINGS, loadSettings, saveSettings, withFontSize, withOtherTheme } from './terminal-settings';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('terminal settings', () => {
  it('round-trips through storage and falls back to the defaults', () => {
    const storage = memoryStorage();
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    saveSettings(storage, { fontSize: 18, theme: 'light' });
    expect(loadSettings(storage)).toEqual({ fontSize: 18, theme: 'light' });
    storage.setItem('playground.terminal-settings', '{"fontSize":"big","theme":"neon"}');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    storage.setItem('playground.terminal-settings', 'not json');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the font size within bounds and toggles the theme', () => {
    expect(withFontSize({ fontSize: 27, theme: 'dark' }, 5).fontSize).toBe(28);
    expect(withFontSize({ fontSize: 10, theme: 'dark' }, -5).fontSize).toBe(9);
    expect(withOtherTheme({ fontSize: 14, theme: 'dark' }).theme).toBe('light');
  });

  it('maps Ctrl+Shift+C and V to the clipboard, leaving Ctrl+C to the shell', () => {
    const key = (code: string, extra: Partial<KeyboardEvent> = {}) =>
      ({ type: 'keydown', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, code, ...extra }) as KeyboardEvent;
    expect(clipboardAction(key('KeyC'))).toBe('copy');
    expect(clipboardAction(key('KeyV'))).toBe('paste');
    expect(clipboardAction(key('KeyC', { shiftKey: false }))).toBeNull();
    expect(clipboardAction(key('KeyV', { type: 'keyup' }))).toBeNull();
  });
});
