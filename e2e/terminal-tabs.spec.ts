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
