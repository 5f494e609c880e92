// Reading and typing into the page's terminal. The client exposes each live xterm Terminal as
// window.__playgroundTerminals[instance]; these helpers read its active buffer (the normal screen
// or, under full-screen programs such as vi, the alternate one).
import type { Page } from '@playwright/test';
import type { Terminal } from '@xterm/xterm';
import { expect } from './fixtures';

type TerminalWindow = Window & { __playgroundTerminals?: Record<string, Terminal> };

export interface ScreenState {
  /** Logical lines (wrapped rows joined), right-trimmed. */
  lines: string[];
  /** Absolute row of the cursor in the active buffer. */
  cursorRow: number;
  /** The cursor's row up to the cursor: what a prompt looks like. */
  beforeCursor: string;
  bufferType: 'normal' | 'alternate';
  cols: number;
  rows: number;
}

/**
 * Reads the terminal's screen (rows fromRow..toRow inclusive; default all), or null while the page
 * has no terminal for the instance.
 */
export async function readScreen(page: Page, instance = 'node1', fromRow = 0, toRow = Number.MAX_SAFE_INTEGER): Promise<ScreenState | null> {
  return page.evaluate(
    ({ instance, fromRow, toRow }) => {
      const term = (window as TerminalWindow).__playgroundTerminals?.[instance];
      if (!term) return null;
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let row = Math.max(0, fromRow); row < buffer.length && row <= toRow; row++) {
        const line = buffer.getLine(row);
        if (!line) continue;
        const text = line.translateToString(false);
        if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
        else lines.push(text);
      }
      const cursorRow = buffer.baseY + buffer.cursorY;
      return {
        lines: lines.map((line) => line.trimEnd()),
        cursorRow,
        beforeCursor: buffer.getLine(cursorRow)?.translateToString(false, 0, buffer.cursorX) ?? '',
        bufferType: buffer.type,
        cols: term.cols,
        rows: term.rows,
      };
    },
    { instance, fromRow, toRow },
  );
}

/** All logical lines of the terminal's active buffer ([] before the terminal exists). */
export async function terminalLines(page: Page, instance = 'node1'): Promise<string[]> {
  return (await readScreen(page, instance))?.lines ?? [];
}

/** The sandbox's prompt ends in '# ' (e.g. `[node1] ~ # `). */
function atPrompt(screen: ScreenState | null, afterRow: number): boolean {
  return screen !== null && screen.cursorRow > afterRow && screen.beforeCursor.endsWith('# ');
}

/**
 * Waits until the cursor sits right after a prompt, on a row below `afterRow` (-1: anywhere).
 * Returns the prompt's row.
 */
export async function waitForPrompt(page: Page, options: { afterRow?: number; timeout?: number; instance?: string } = {}): Promise<number> {
  const { afterRow = -1, timeout = 45_000, instance = 'node1' } = options;
  let row = -1;
  await expect
    .poll(
      async () => {
        const screen = await readScreen(page, instance);
        if (!atPrompt(screen, afterRow)) return false;
        row = screen!.cursorRow;
        return true;
      },
      { timeout, intervals: [100, 250, 500], message: 'waiting for the shell prompt' },
    )
    .toBe(true);
  return row;
}

/** Gives the terminal keyboard focus (clicking it would also work). */
export async function focusTerminal(page: Page, instance = 'node1'): Promise<void> {
  await page.evaluate((instance) => (window as TerminalWindow).__playgroundTerminals?.[instance]?.focus(), instance);
}

/**
 * Types a command at the prompt, presses Enter, waits for the next prompt and returns the output
 * lines between the command and that prompt.
 */
export async function runCommand(page: Page, command: string, options: { timeout?: number; instance?: string } = {}): Promise<string[]> {
  const { timeout = 30_000, instance = 'node1' } = options;
  const promptRow = await waitForPrompt(page, { instance, timeout });
  await focusTerminal(page, instance);
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  const nextPromptRow = await waitForPrompt(page, { afterRow: promptRow, timeout, instance });
  const screen = await readScreen(page, instance, promptRow, nextPromptRow);
  // Logical lines [command line, ...output, next prompt].
  return (screen?.lines ?? []).slice(1, -1);
}
