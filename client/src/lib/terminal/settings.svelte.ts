// The terminals' settings for the whole page, kept in localStorage so they survive a reload. The
// theme is the whole page's: it is set on <html data-theme>, which app.css's colours follow.
import { loadSettings, saveSettings, withFontSize, withOtherTheme, type TerminalSettings } from './terminal-settings';

function showTheme(settings: TerminalSettings): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = settings.theme;
}

export class TerminalSettingsStore {
  current = $state<TerminalSettings>(loadSettings(globalThis.localStorage));

  constructor() {
    showTheme(this.current);
  }

  #set(next: TerminalSettings): void {
    this.current = next;
    saveSettings(globalThis.localStorage, next);
    showTheme(next);
  }

  bigger(): void {
    this.#set(withFontSize(this.current, 1));
  }

  smaller(): void {
    this.#set(withFontSize(this.current, -1));
  }

  toggleTheme(): void {
    this.#set(withOtherTheme(this.current));
  }
}

export const terminalSettings = new TerminalSettingsStore();
