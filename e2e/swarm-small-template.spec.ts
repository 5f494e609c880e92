import { expect, SESSION_URL, test } from './fixtures';
import { runCommand, waitForPrompt } from './terminal';

test('the small swarm template: only its button says Starting…, then a manager and a worker are Ready', async ({ page }) => {
  test.setTimeout(180_000);
  // Holds the create request until the page's waiting state has been seen.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/sessions', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });

  await page.goto('/');
  await page.getByRole('button', { name: 'Swarm: 1 manager, 1 worker' }).click();
  await expect(page.getByRole('button', { name: 'Starting…' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' })).toBeDisabled();
  release();

  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await expect(page.getByText('A swarm of 1 manager and 1 worker is ready')).toBeVisible({ timeout: 150_000 });
  await page.getByRole('button', { name: /^node1/ }).click();
  await waitForPrompt(page, { timeout: 60_000 });
  const lines = await runCommand(page, "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' | sort");
  expect(lines.filter((line) => /^node\d/.test(line))).toEqual(['node1 Ready Leader', 'node2 Ready']);
});
