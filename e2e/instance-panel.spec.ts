import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand, terminalLines, waitForPrompt } from './terminal';

test('the instance panel shows live CPU and memory, and Restart brings the shell back with Docker data kept', async ({ page }) => {
  await startWithShell(page);
  await expect(page.getByLabel('Use of node1')).toHaveText(/^CPU \d+% · \d+ MiB$/, { timeout: 15_000 });

  await runCommand(page, 'docker pull -q busybox >/dev/null && docker tag busybox survives:restart && echo tagged', { timeout: 45_000 });
  await page.getByRole('button', { name: 'Restart node1' }).click();
  // The terminal reconnects by itself once the instance is back: a new shell on a fresh screen.
  await expect.poll(async () => (await terminalLines(page)).includes('tagged'), { timeout: 60_000 }).toBe(false);
  await expect(page.getByRole('button', { name: /^node1/ })).toContainText('running', { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  const images = await runCommand(page, 'docker image ls --format "{{.Repository}}:{{.Tag}}" | grep survives', { timeout: 45_000 });
  expect(images).toContain('survives:restart');
});
