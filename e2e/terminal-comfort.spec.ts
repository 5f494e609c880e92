import type { Page, WebSocketRoute } from '@playwright/test';
import type { Terminal } from '@xterm/xterm';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { focusTerminal, runCommand, terminalLines, waitForPrompt } from './terminal';

type TerminalWindow = Window & { __playgroundTerminals?: Record<string, Terminal> };

/** The last non-empty logical line on the screen (the prompt line with what is typed on it). */
async function lastLine(page: Page): Promise<string> {
  const lines = (await terminalLines(page)).filter((line) => line.trim() !== '');
  return lines.at(-1) ?? '';
}

test('font size and theme are remembered across a reload', async ({ page }) => {
  await startWithShell(page);
  await page.getByRole('button', { name: 'Larger text' }).click();
  await page.getByRole('button', { name: 'Larger text' }).click();
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.getByLabel('Font size')).toHaveText('16px');

  await page.reload();
  await waitForPrompt(page);
  await expect(page.getByLabel('Font size')).toHaveText('16px');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toBeVisible();
  const options = await page.evaluate(() => {
    const term = (window as TerminalWindow).__playgroundTerminals?.node1;
    return { fontSize: term?.options.fontSize, background: term?.options.theme?.background };
  });
  expect(options).toEqual({ fontSize: 16, background: '#ffffff' });
});

test('select to copy, Ctrl+Shift+V and the right-click menu paste, and a large paste arrives whole', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await startWithShell(page);
  await runCommand(page, 'echo copy-me-please');

  // Selecting the output line copies it.
  await page.evaluate(() => {
    const term = (window as TerminalWindow).__playgroundTerminals!.node1!;
    const buffer = term.buffer.active;
    for (let row = buffer.length - 1; row >= 0; row--) {
      if (buffer.getLine(row)?.translateToString(true) === 'copy-me-please') {
        term.select(0, row, 'copy-me-please'.length);
        return;
      }
    }
  });
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-please');

  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((40+2))'));
  await focusTerminal(page);
  await page.keyboard.press('Control+Shift+V');
  // The clipboard is read asynchronously: press Enter once the pasted text is on the line.
  await expect.poll(() => lastLine(page)).toMatch(/echo pasted-\$\(\(40\+2\)\)$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page)).toContain('pasted-42');

  // Enter pressed right after Ctrl+Shift+V, before the clipboard was read, still comes after the paste.
  await page.evaluate(() => navigator.clipboard.writeText('echo enter-right-away'));
  await page.keyboard.press('Control+Shift+V');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page)).toContain('enter-right-away');

  await page.evaluate(() => navigator.clipboard.writeText('echo from-the-menu'));
  await page.locator('.xterm-screen').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Paste' }).click();
  await expect.poll(() => lastLine(page)).toMatch(/echo from-the-menu$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page)).toContain('from-the-menu');

  // 60,000 characters in one paste: every one reaches the shell.
  await page.evaluate(() => navigator.clipboard.writeText(`printf %s ${'x'.repeat(60_000)} | wc -c`));
  await page.keyboard.press('Control+Shift+V');
  await expect.poll(() => lastLine(page), { timeout: 30_000 }).toMatch(/x{100} \| wc -c$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('60000');
});

test('after the WebSocket is cut, the terminal reconnects and earlier output is still there', async ({ page }) => {
  let latest: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/terminal/, (ws) => {
    latest = ws;
    ws.connectToServer();
  });
  await startWithShell(page);
  await runCommand(page, 'echo before-the-cut');
  const first = latest!;

  await first.close({ code: 4999, reason: 'network lost' });
  await expect.poll(() => latest !== first, { timeout: 15_000 }).toBe(true);
  await waitForPrompt(page);
  expect(await terminalLines(page)).toContain('before-the-cut');
  expect(await runCommand(page, 'echo after-the-cut')).toContain('after-the-cut');
});

test('the same session in a second browser shows the same terminal live, and both can type', async ({ page, browser }) => {
  await startWithShell(page);
  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    await second.goto(page.url());
    await waitForPrompt(second);

    await runCommand(page, 'echo typed-in-the-first');
    await expect.poll(() => terminalLines(second)).toContain('typed-in-the-first');

    await focusTerminal(second);
    await second.keyboard.type('echo typed-in-the-second');
    await second.keyboard.press('Enter');
    await expect.poll(() => terminalLines(page)).toContain('typed-in-the-second');
  } finally {
    await other.close();
  }
});

test('URLs in the output are links that open in a new tab', async ({ page, context }) => {
  await startWithShell(page);
  const url = `${new URL(page.url()).origin}/api/health`;
  await runCommand(page, `echo "see ${url} for more"`);
  const row = page.locator('.xterm-rows > div').filter({ hasText: `see ${url} for more` }).last();
  const box = (await row.boundingBox())!;
  const cellWidth = box.width / (await page.evaluate(() => (window as TerminalWindow).__playgroundTerminals!.node1!.cols));
  // Hover, then click, in the middle of the URL.
  const x = box.x + cellWidth * ('see '.length + url.length / 2);
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.move(x + 1, y);
  const [opened] = await Promise.all([context.waitForEvent('page'), page.mouse.click(x + 1, y)]);
  await expect.poll(() => opened.url()).toBe(url);
});
