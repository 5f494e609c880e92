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
  // The strip below the last full row is light too, not the dark page behind.
  await expect(page.locator('.xterm-viewport')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
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
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  await expect.poll(clipboard).toBe('copy-me-please');

  // Ctrl+Shift+C and the right-click menu's Copy copy the selection again.
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await focusTerminal(page);
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(clipboard).toBe('copy-me-please');
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await page.locator('.xterm-screen').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Copy' }).click();
  await expect.poll(clipboard).toBe('copy-me-please');
  await expect(page.getByRole('menu', { name: 'Terminal' })).toHaveCount(0);

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

  // 150,000 characters: more than one input message can carry (65,536), so it travels in several,
  // and arrives whole and in order: taking out every "0123456789" leaves nothing (pieces cut at
  // 65,536 and swapped, lost or doubled would leave some). A shell variable, because one command
  // argument is limited to 128 KiB.
  await page.evaluate(() => navigator.clipboard.writeText(`x=${'0123456789'.repeat(15_000)}; echo "length=\${#x} rest=[\${x//0123456789/}]"`));
  await page.keyboard.press('Control+Shift+V');
  await expect.poll(() => lastLine(page), { timeout: 30_000 }).toMatch(/6789; echo "length=\$\{#x\} rest=\[\$\{x\/\/0123456789\/\}\]"$/);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('length=150000 rest=[]');
});

test('the right-click menu works from the keyboard, and Escape gives the keyboard back to the terminal', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await startWithShell(page);
  await page.evaluate(() => navigator.clipboard.writeText('echo chosen-by-keyboard'));

  await page.locator('.xterm-screen').click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Copy' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Paste' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu', { name: 'Terminal' })).toHaveCount(0);
  await expect.poll(() => lastLine(page)).toMatch(/echo chosen-by-keyboard$/);

  await page.locator('.xterm-screen').click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Copy' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu', { name: 'Terminal' })).toHaveCount(0);
  // The terminal has the keyboard again: Enter runs the pasted line.
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page)).toContain('chosen-by-keyboard');
});

test('after the WebSocket is cut, the terminal says Reconnecting…, reconnects by itself and shows earlier output once', async ({ page }) => {
  const sockets: WebSocketRoute[] = [];
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.routeWebSocket(/\/terminal/, async (ws) => {
    sockets.push(ws);
    // The first connection goes straight through; the next one waits until "Reconnecting…" was seen.
    if (sockets.length > 1) await held;
    ws.connectToServer();
  });
  await startWithShell(page);
  await runCommand(page, 'echo before-the-cut');
  const first = sockets[0]!;

  await first.close({ code: 4999, reason: 'network lost' });
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  // The screen stays while reconnecting.
  expect(await terminalLines(page)).toContain('before-the-cut');
  await expect.poll(() => sockets.length, { timeout: 15_000 }).toBeGreaterThan(1);
  release();

  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0);
  await waitForPrompt(page);
  // The server's replay repainted the screen: the earlier output shows once, not twice.
  const copies = async () => (await terminalLines(page)).filter((line) => line === 'before-the-cut').length;
  await expect.poll(copies).toBe(1);
  expect(await runCommand(page, 'echo after-the-cut')).toContain('after-the-cut');
  expect(await copies()).toBe(1);
});

test('when the network comes back, a reconnecting terminal connects at once instead of waiting out its backoff', async ({ page, context }) => {
  test.setTimeout(90_000);
  const sockets: WebSocketRoute[] = [];
  let networkDown = false;
  await page.routeWebSocket(/\/terminal/, (ws) => {
    sockets.push(ws);
    // While the "network" is down, every attempt fails at once, as it would with no route to the server.
    if (networkDown) void ws.close({ code: 4999, reason: 'no network' });
    else ws.connectToServer();
  });
  await startWithShell(page);
  await runCommand(page, 'echo before-the-outage');

  networkDown = true;
  await sockets[0]!.close({ code: 4999, reason: 'network lost' });
  // Four failed attempts (after 0.5, 1, 2 and 4 s): the next one is 8 s away.
  await expect.poll(() => sockets.length, { timeout: 20_000 }).toBe(5);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();

  networkDown = false;
  await context.setOffline(true);
  await context.setOffline(false); // the page gets 'online'
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0, { timeout: 3_000 });
  expect(sockets.length).toBe(6);
  await waitForPrompt(page);
  expect(await runCommand(page, 'echo after-the-outage')).toContain('after-the-outage');
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
