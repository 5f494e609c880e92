import { expect, SESSION_URL, test } from './fixtures';
import { terminalLines, waitForPrompt } from './terminal';

test('a workshop from the landing page: Run types the command, Check passes, progress survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Docker 101' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });

  const panel = page.getByRole('complementary', { name: 'Workshop' });
  await expect(panel.getByRole('heading', { name: 'Run a container in the background' })).toBeVisible();
  await panel.getByRole('button', { name: 'Check' }).click();
  await expect(panel.getByRole('status')).toHaveText('✗ There is no running container named web yet.');

  await panel.getByRole('button', { name: /Run/ }).first().click();
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('[node1] ~ # docker run -d --name web nginx');
  await expect.poll(async () => {
    await panel.getByRole('button', { name: 'Check' }).click();
    return panel.getByRole('status').textContent();
  }, { timeout: 30_000 }).toBe('✓ web is running.');

  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText('Step 2 of 17')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Workshop' }).getByText('Step 2 of 17')).toBeVisible({ timeout: 30_000 });
});
