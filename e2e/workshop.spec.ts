import { expect, SESSION_URL, test } from './fixtures';
import { terminalLines, waitForPrompt } from './terminal';

test('a workshop from the landing page: a failed Check gives a hint, the solution waits to be asked for, Run types the command, Check passes, progress survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Docker 101' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });

  const panel = page.getByRole('complementary', { name: 'Workshop' });
  await expect(panel.getByRole('heading', { name: 'Run a container in the background' })).toBeVisible();
  // No hint before a check has failed; the solution stays hidden until asked for.
  await expect(panel.getByRole('note', { name: 'Hint' })).toHaveCount(0);
  await expect(panel.getByRole('region', { name: 'Solution' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Check' }).click();
  await expect(panel.getByRole('status')).toHaveText('✗ There is no running container named web yet.');
  await expect(panel.getByRole('note', { name: 'Hint' })).toContainText('`--name web` is what the check looks for'.replaceAll('`', ''));
  await panel.getByRole('button', { name: 'Show solution' }).click();
  const solution = panel.getByRole('region', { name: 'Solution' });
  await expect(solution).toContainText('docker run -d --name web nginx');
  await expect(panel.getByRole('button', { name: 'Show solution' })).toHaveCount(0);

  await panel.getByRole('button', { name: /Run/ }).first().click();
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('[node1] ~ # docker run -d --name web nginx');
  await expect.poll(async () => {
    await panel.getByRole('button', { name: 'Check' }).click();
    return panel.getByRole('status').textContent();
  }, { timeout: 30_000 }).toBe('✓ web is running.');

  // Passed: no hint. On the next step its own solution is hidden again.
  await expect(panel.getByRole('note', { name: 'Hint' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText('Step 2 of 17')).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Solution' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Show solution' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Workshop' }).getByText('Step 2 of 17')).toBeVisible({ timeout: 30_000 });
});
