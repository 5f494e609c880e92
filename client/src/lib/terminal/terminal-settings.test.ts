import { describe, expect, it } from 'vitest';
import { ANSI_COLOUR_NAMES, clipboardAction, contrastRatio, DEFAULT_SETTINGS, loadSettings, saveSettings, THEMES, withFontSize, withOtherTheme } from './terminal-settings';

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

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('has a light palette whose every colour reads on its background, and a readable dark one', () => {
    const light = THEMES.light;
    expect(contrastRatio(light.foreground, light.background)).toBeGreaterThanOrEqual(7);
    for (const name of ANSI_COLOUR_NAMES) expect(contrastRatio(light[name], light.background), name).toBeGreaterThanOrEqual(4.5);
    const dark = THEMES.dark;
    expect(contrastRatio(dark.foreground, dark.background)).toBeGreaterThanOrEqual(7);
    for (const name of ANSI_COLOUR_NAMES.filter((name) => name !== 'black')) expect(contrastRatio(dark[name], dark.background), name).toBeGreaterThanOrEqual(4.5);
  });
});
