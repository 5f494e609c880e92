// Font size and colour theme of the terminals, remembered in the browser (localStorage). Pure apart
// from the storage passed in.

export type ThemeName = 'dark' | 'light';

export interface TerminalSettings {
  fontSize: number;
  theme: ThemeName;
}

export const DEFAULT_SETTINGS: TerminalSettings = { fontSize: 14, theme: 'dark' };
export const MIN_FONT_SIZE = 9;
export const MAX_FONT_SIZE = 28;
const STORAGE_KEY = 'playground.terminal-settings';

export const THEMES: Record<ThemeName, { background: string; foreground: string; cursor: string; cursorAccent: string; selectionBackground: string }> = {
  dark: { background: '#0d1117', foreground: '#e6edf3', cursor: '#58a6ff', cursorAccent: '#0d1117', selectionBackground: '#264f78' },
  light: { background: '#ffffff', foreground: '#1f2328', cursor: '#0969da', cursorAccent: '#ffffff', selectionBackground: '#b6d7ff' },
};

function clampFontSize(size: number): number {
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size)));
}

/** The stored settings, or the defaults for anything missing or malformed. */
export function loadSettings(storage: Pick<Storage, 'getItem'> | undefined): TerminalSettings {
  try {
    const stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as Partial<TerminalSettings> | null;
    return {
      fontSize: typeof stored?.fontSize === 'number' ? clampFontSize(stored.fontSize) : DEFAULT_SETTINGS.fontSize,
      theme: stored?.theme === 'light' || stored?.theme === 'dark' ? stored.theme : DEFAULT_SETTINGS.theme,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: TerminalSettings): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // private mode or full storage: the settings last for this page only
  }
}

export function withFontSize(settings: TerminalSettings, delta: number): TerminalSettings {
  return { ...settings, fontSize: clampFontSize(settings.fontSize + delta) };
}

export function withOtherTheme(settings: TerminalSettings): TerminalSettings {
  return { ...settings, theme: settings.theme === 'dark' ? 'light' : 'dark' };
}

/**
 * What a key press means for the clipboard: Ctrl+Shift+C copies, Ctrl+Shift+V pastes (Ctrl+C stays
 * the shell's interrupt). Cmd+C/V on macOS are the browser's own.
 */
export function clipboardAction(event: Pick<KeyboardEvent, 'type' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey' | 'code'>): 'copy' | 'paste' | null {
  if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return null;
  if (event.code === 'KeyC') return 'copy';
  if (event.code === 'KeyV') return 'paste';
  return null;
}
