import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand, terminalLines, waitForPrompt } from './terminal';

test('reloading the page reattaches to the same shell and shows recent output once', async ({ page }) => {
  await startWithShell(page);

  const pidBefore = (await runCommand(page, 'echo $$')).find((line) => /^\d+$/.test(line));
  expect(pidBefore).toBeDefined();
  expect(await runCommand(page, 'echo reattach-marker-$((6*7))')).toContain('reattach-marker-42');

  await page.reload();
  await waitForPrompt(page, { timeout: 30_000 });

  const markers = async () => (await terminalLines(page)).filter((line) => line === 'reattach-marker-42').length;
  await expect.poll(markers, { timeout: 10_000 }).toBe(1);

  const pidAfter = (await runCommand(page, 'echo $$')).find((line) => /^\d+$/.test(line));
  expect(pidAfter).toBe(pidBefore);
  // The replay was shown once, not appended to an earlier copy.
  expect(await markers()).toBe(1);
});
