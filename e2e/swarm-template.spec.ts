import { expect, SESSION_URL, test } from './fixtures';
import { runCommand, waitForPrompt } from './terminal';

test('the swarm template yields docker node ls with 5 Ready nodes, 3 of them managers', async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });

  // Progress shows while it is assembled, then the swarm is ready.
  await expect(page.getByRole('status').filter({ hasText: /Assembling Swarm: 3 managers, 2 workers — .* \(\d of 5 nodes running\)/ })).toBeVisible();
  await expect(page.getByText('A swarm of 3 managers and 2 workers is ready')).toBeVisible({ timeout: 300_000 });
  // Listed by node number, although the server added node2-5 at once, in any order.
  const listed = async () => (await page.getByRole('button', { name: /^node\d/ }).allTextContents()).map((text) => text.trim().split(/\s+/)[0]);
  await expect.poll(listed).toEqual(['node1', 'node2', 'node3', 'node4', 'node5']);

  await page.getByRole('button', { name: /^node1/ }).click();
  await waitForPrompt(page, { timeout: 60_000 });
  const lines = await runCommand(page, "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' | sort");
  const nodes = lines.filter((line) => /^node\d/.test(line));
  expect(nodes).toHaveLength(5);
  expect(nodes.every((line) => line.includes(' Ready'))).toBe(true);
  expect(nodes.filter((line) => /Leader|Reachable/.test(line))).toHaveLength(3);
});
