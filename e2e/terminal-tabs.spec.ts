import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand, waitForPrompt } from './terminal';

test('several terminals per instance as tabs, seen from a second browser too, and closed with ×', async ({ page, browser }) => {
  await startWithShell(page);
  const first = (await runCommand(page, 'echo "shell=$$"')).find((line) => line.startsWith('shell='));

  await page.getByRole('button', { name: 'New terminal on node1' }).click();
  await expect(page.getByRole('tab', { name: 'node1 #2' })).toHaveAttribute('aria-selected', 'true');
  // The second tab's screen is window.__playgroundTerminals['node1#2'].
  await waitForPrompt(page, { instance: 'node1#2' });
  const second = (await runCommand(page, 'echo "shell=$$"', { instance: 'node1#2' })).find((line) => line.startsWith('shell='));
  expect(second).toMatch(/^shell=\d+$/);
  expect(second).not.toBe(first);

  const other = await browser.newContext();
  try {
    const mirror = await other.newPage();
    await mirror.goto(page.url());
    await expect(mirror.getByRole('tab', { name: 'node1 #2' })).toBeVisible({ timeout: 15_000 });
  } finally {
    await other.close();
  }

  await page.getByRole('button', { name: 'Close terminal 2 of node1' }).click();
  await expect(page.getByRole('tab', { name: 'node1 #2' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'node1 #1' })).toHaveAttribute('aria-selected', 'true');
  expect(await runCommand(page, 'echo back-in-the-first')).toContain('back-in-the-first');
});

test('a tab closed in a second browser closes in the first too', async ({ page, browser }) => {
  await startWithShell(page);
  await page.getByRole('button', { name: 'New terminal on node1' }).click();
  await waitForPrompt(page, { instance: 'node1#2' });

  const other = await browser.newContext();
  try {
    const mirror = await other.newPage();
    await mirror.goto(page.url());
    await mirror.getByRole('button', { name: 'Close terminal 2 of node1' }).click({ timeout: 15_000 });
  } finally {
    await other.close();
  }

  // Tab 2 was on screen here (and opened here): it goes, and the first tab shows.
  await expect(page.getByRole('tab', { name: 'node1 #2' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'node1 #1' })).toHaveAttribute('aria-selected', 'true');
  expect(await runCommand(page, 'echo still-here')).toContain('still-here');
});

test('the arrow keys move between terminal tabs and the focus stays on the tabs', async ({ page }) => {
  await startWithShell(page);
  await page.getByRole('button', { name: 'New terminal on node1' }).click();
  await waitForPrompt(page, { instance: 'node1#2' });

  const first = page.getByRole('tab', { name: 'node1 #1' });
  const second = page.getByRole('tab', { name: 'node1 #2' });
  await second.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toBeFocused();
  await waitForPrompt(page);

  await page.keyboard.press('End');
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(second).toBeFocused();
  // Only the selected tab is in the Tab order.
  await expect(first).toHaveAttribute('tabindex', '-1');
  await expect(second).toHaveAttribute('tabindex', '0');
});
