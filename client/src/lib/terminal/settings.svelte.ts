// The terminals' settings for the whole page, kept in localStorage so they survive a reload.
import { loadSettings, saveSettings, withFontSize, withOtherTheme, type TerminalSettings } from './terminal-settings';

export class TerminalSettingsStore {
  current = $state<TerminalSettings>(loadSettings(globalThis.localStorage));

  #set(next: TerminalSettings): void {
    this.current = next;
    saveSettings(globalThis.localStorage, next);
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
