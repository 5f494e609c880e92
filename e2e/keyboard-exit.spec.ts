import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { readScreen, terminalLines, waitForPrompt } from './terminal';

/** Whether the keyboard focus is in the terminal (xterm's input textarea). */
function focusInTerminal(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false);
}

/** Presses `key` until `target` has the focus (at most `max` times); returns how many presses it took, or -1. */
async function pressUntilFocused(page: Page, key: string, target: ReturnType<Page['getByRole']>, max = 60): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(key);
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
  }
  return -1;
}

test('the keyboard alone leaves the terminal (Ctrl+Shift+F6), reaches Close session and closes; Tab still completes in the shell', async ({
  page,
  request,
}) => {
  const id = await startWithShell(page);
  expect(await focusInTerminal(page)).toBe(true); // the terminal has the focus from the start

  // Tab completes in the shell, and Tab, Shift+Tab and Esc all stay in it.
  const promptRow = await waitForPrompt(page);
  await page.keyboard.type('ech');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await readScreen(page))?.beforeCursor).toMatch(/# echo $/);
  await page.keyboard.type('completed-by-tab');
  await page.keyboard.press('Enter');
  await waitForPrompt(page, { afterRow: promptRow });
  expect(await terminalLines(page)).toContain('completed-by-tab');
  for (const key of ['Tab', 'Shift+Tab', 'Escape']) {
    await page.keyboard.press(key);
    expect(await focusInTerminal(page), key).toBe(true);
  }
  await page.keyboard.press('Control+C');

  // The leave key: out to the toolbar; from there Shift+Tab goes back through the page to Close.
  await page.keyboard.press('Control+Shift+F6');
  expect(await focusInTerminal(page)).toBe(false);
  await expect(page.locator('.toolbar :focus')).toHaveCount(1);
  const close = page.getByRole('button', { name: 'Close session' });
  expect(await pressUntilFocused(page, 'Shift+Tab', close)).toBeGreaterThan(0);

  // Tabbing forward, the skip link before the terminal shows, says how to leave it, and skips it.
  const skip = page.getByRole('link', { name: /Skip the terminal/ });
  expect(await pressUntilFocused(page, 'Tab', skip)).toBeGreaterThan(0);
  await expect(skip).toBeVisible();
  await expect(skip).toHaveText('Skip the terminal (Ctrl+Shift+F6 leaves it)');
  await page.keyboard.press('Enter');
  await expect(close).toBeFocused();

  // Close by keyboard: Enter opens the confirmation on Cancel; Tab, Enter closes.
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Close this session?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close session' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 30_000 });
  expect((await request.get(`/api/sessions/${id}`)).status()).toBe(404);
});
