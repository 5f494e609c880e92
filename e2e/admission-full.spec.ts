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

test('a template larger than the instance limit is refused in words, under Start', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' }).click();
  await expect(page.getByRole('alert')).toContainText('needs 5 instances, but MAX_INSTANCES is 2');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' })).toBeEnabled();
});
