import { expect, test } from './fixtures';

// Runs against a server with room for one session (MAX_SESSIONS=1, see playwright.config.ts).
test('when the playground is full, Start says so in words and starts nothing', async ({ page, sessions }) => {
  await sessions.create(); // takes the only place

  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();

  await expect(page.getByRole('alert')).toContainText('The playground is full');
  await expect(page.getByRole('alert')).toContainText('try again');
  await expect(page).toHaveURL(/\/$/);
});

test('Add instance over the limit says so in words', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/\/s\//, { timeout: 60_000 });
  await page.getByRole('button', { name: '+ Add instance' }).click();
  await expect(page.getByRole('button', { name: /^node2/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '+ Add instance' }).click();
  await expect(page.getByRole('alert')).toContainText('already has 2 instances, the most allowed');
});
