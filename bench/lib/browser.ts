import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';

/** Debian's Chromium with the flags this machine needs, as the end-to-end tests use it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

// Runs in the page before its scripts: counts the bytes of binary WebSocket frames received (the
// terminal's output) and notes the time of the last click, without changing what the page does.
const INSTRUMENT = `
  (() => {
    window.__benchWsBytes = 0;
    document.addEventListener('click', () => { window.__benchClickAt = performance.now(); }, true);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data !== 'string') window.__benchWsBytes += event.data.byteLength ?? event.data.size ?? 0;
        });
      }
    };
  })();
`;

export async function newBenchPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: INSTRUMENT });
  return context.newPage();
}

// --- in-page code -------------------------------------------------------------------------------
// Plain JavaScript source, not TypeScript functions: tsx compiles functions with a `__name` helper
// that does not exist in the page, so Playwright could not run them there.

/** Runs `fn(args)` in the page, where fn is JavaScript source; resolves with its (awaited) result. */
function inPage<T>(page: Page, fn: string, args: unknown): Promise<T> {
  return page.evaluate(`(${fn})(${JSON.stringify(args)})`) as Promise<T>;
}

const PROMPT_TIME = `({ timeoutMs, sinceBytes, minBytes }) => new Promise((resolve, reject) => {
  const deadline = performance.now() + timeoutMs;
  const check = () => {
    const term = window.__playgroundTerminals && window.__playgroundTerminals.node1;
    if (term && (window.__benchWsBytes || 0) - sinceBytes >= minBytes) {
      const buffer = term.buffer.active;
      const line = buffer.getLine(buffer.baseY + buffer.cursorY);
      if (line && line.translateToString(false, 0, buffer.cursorX).endsWith('# ')) return resolve(performance.now());
    }
    if (performance.now() > deadline) return reject(new Error('no prompt in the page terminal within ' + timeoutMs + ' ms'));
    setTimeout(check, 5);
  };
  check();
})`;

const TYPE = `({ data }) => {
  const term = window.__playgroundTerminals && window.__playgroundTerminals.node1;
  if (!term) throw new Error('the page has no terminal for node1');
  const at = performance.now();
  term.input(data, true);
  return at;
}`;

const TERMINAL_TEXT = `() => {
  const term = window.__playgroundTerminals && window.__playgroundTerminals.node1;
  if (!term) return '';
  const buffer = term.buffer.active;
  const lines = [];
  for (let row = 0; row < buffer.length; row += 1) lines.push(buffer.getLine(row).translateToString(true));
  return lines.join('\\n');
}`;

/**
 * Waits in the page (polling every 5 ms) until node1's terminal shows a prompt at its cursor and,
 * when minBytes is given, at least that many output bytes arrived since `sinceBytes`.
 * Resolves with the page's performance.now() at that moment.
 */
export function pagePromptTime(page: Page, options: { timeoutMs: number; sinceBytes?: number; minBytes?: number }): Promise<number> {
  return inPage(page, PROMPT_TIME, { timeoutMs: options.timeoutMs, sinceBytes: options.sinceBytes ?? 0, minBytes: options.minBytes ?? 0 });
}

/** The page's time of the last click (performance.now()), recorded by the instrumentation. */
export function pageClickTime(page: Page): Promise<number | undefined> {
  return inPage(page, '() => window.__benchClickAt', null);
}

/** Terminal output bytes the page has received so far. */
export function pageWsBytes(page: Page): Promise<number> {
  return inPage(page, '() => window.__benchWsBytes || 0', null);
}

/** Types into node1's terminal as a person would (xterm's input(): onData, then the socket). Returns the page's time. */
export function pageType(page: Page, data: string): Promise<number> {
  return inPage(page, TYPE, { data });
}

/** The text of node1's terminal, every line of its buffer (scrollback included). */
export function pageTerminalText(page: Page): Promise<string> {
  return inPage(page, TERMINAL_TEXT, null);
}
