import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { focusTerminal, readScreen, runCommand, waitForPrompt } from './terminal';

test('Ctrl-C, full-screen programs and UTF-8 work in the terminal', async ({ page }) => {
  await startWithShell(page);

  // Ctrl-C reaches the foreground process.
  const promptRow = await waitForPrompt(page);
  await focusTerminal(page);
  await page.keyboard.type('sleep 300');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await readScreen(page))?.cursorRow ?? -1).toBeGreaterThan(promptRow);
  await page.waitForTimeout(500); // let sleep start
  await page.keyboard.press('Control+C');
  await waitForPrompt(page, { afterRow: promptRow, timeout: 5_000 });

  // vi takes the whole screen (its empty lines start with '~') and :q! leaves it.
  await page.keyboard.type('vi');
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => {
      const screen = await readScreen(page);
      return screen?.lines.filter((line) => line === '~' || line.startsWith('~ ')).length ?? 0;
    })
    .toBeGreaterThan(3);
  await page.keyboard.press('Escape');
  await page.keyboard.type(':q!');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await readScreen(page))?.bufferType).toBe('normal');
  await waitForPrompt(page, { timeout: 5_000 });

  // UTF-8 in both directions.
  expect(await runCommand(page, 'echo héllo ✓')).toContain('héllo ✓');
});
