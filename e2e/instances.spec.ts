import { expect, test } from './fixtures';
import { answerConfirmation, startWithShell } from './playground-page';
import { runCommand, waitForPrompt } from './terminal';

test('Add instance starts node2, whose shell pings node1 by name, and back', async ({ page }) => {
  await startWithShell(page);

  await page.getByRole('button', { name: '+ Add instance' }).click();
  const node2 = page.getByRole('button', { name: /^node2/ });
  await expect(node2).toBeVisible({ timeout: 30_000 });
  await expect(node2).toHaveAttribute('aria-pressed', 'true');
  await waitForPrompt(page, { instance: 'node2', timeout: 45_000 });

  const fromNode2 = await runCommand(page, 'ping -c1 -W3 node1', { instance: 'node2' });
  expect(fromNode2.join('\n')).toMatch(/1 packets transmitted, 1 received/);

  await page.getByRole('button', { name: /^node1/ }).click();
  const fromNode1 = await runCommand(page, 'ping -c1 -W3 node2');
  expect(fromNode1.join('\n')).toMatch(/1 packets transmitted, 1 received/);
});

test('deleting an instance removes it from the page and the session goes on', async ({ page }) => {
  await startWithShell(page);
  await page.getByRole('button', { name: '+ Add instance' }).click();
  await expect(page.getByRole('button', { name: /^node2/ })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Delete node2' }).click();
  await answerConfirmation(page, 'Delete node2');
  await expect(page.getByRole('button', { name: /^node2/ })).toHaveCount(0, { timeout: 30_000 });
  await page.getByRole('button', { name: /^node1/ }).click();
  expect(await runCommand(page, 'echo session-goes-on')).toContain('session-goes-on');
});
