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

/** An xterm theme: the screen's colours and the 16 ANSI colours programs choose from. */
export interface TerminalTheme {
  background: string;
  foreground: string;
  cursor: string;
  cursorAccent: string;
  selectionBackground: string;
  black: string;
  red: string;
  green: string;
  yellow: string;
  blue: string;
  magenta: string;
  cyan: string;
  white: string;
  brightBlack: string;
  brightRed: string;
  brightGreen: string;
  brightYellow: string;
  brightBlue: string;
  brightMagenta: string;
  brightCyan: string;
  brightWhite: string;
}

export const ANSI_COLOUR_NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const satisfies ReadonlyArray<keyof TerminalTheme>;

/**
 * Both palettes are made to be read: in the light one every ANSI colour, "white" and "bright white"
 * included (greys there, as programs print them assuming a dark screen), is at least 4.5:1 on the
 * white background; the prompt (bold cyan and blue, drawn bright) is 5.6:1 and 5.2:1. In the dark
 * one all but black (meant as a background) are. terminal-settings.test.ts checks the ratios.
 */
export const THEMES: Record<ThemeName, TerminalTheme> = {
  dark: {
    background: '#0d1117',
    foreground: '#e6edf3',
    cursor: '#58a6ff',
    cursorAccent: '#0d1117',
    selectionBackground: '#264f78',
    black: '#484f58',
    red: '#ff7b72',
    green: '#3fb950',
    yellow: '#d29922',
    blue: '#58a6ff',
    magenta: '#bc8cff',
    cyan: '#39c5cf',
    white: '#b1bac4',
    brightBlack: '#8b949e',
    brightRed: '#ffa198',
    brightGreen: '#56d364',
    brightYellow: '#e3b341',
    brightBlue: '#79c0ff',
    brightMagenta: '#d2a8ff',
    brightCyan: '#56d4dd',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#0969da',
    cursorAccent: '#ffffff',
    selectionBackground: '#b6d7ff',
    black: '#24292f',
    red: '#c4122f',
    green: '#116329',
    yellow: '#7a4d00',
    blue: '#0550ae',
    magenta: '#8a2bb0',
    cyan: '#0b6a78',
    white: '#6a737d',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#6f5200',
    brightBlue: '#0969da',
    brightMagenta: '#7a3ed6',
    brightCyan: '#087285',
    brightWhite: '#5c6570',
  },
};

/**
 * xterm lightens or darkens any cell's text that would be fainter than this against its own
 * background (a program's black-on-dark, white-on-white, or colours on coloured backgrounds).
 */
export const MIN_CONTRAST_RATIO = 4.5;

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

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
