import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { restartProjectServer } from './server-process';
import { focusTerminal, runCommand, terminalLines, waitForPrompt } from './terminal';

// The playground server is killed, then stopped, while a page has its terminal open; each time it
// is started again the page reconnects by itself to the same shell (same process, its background job
// still running, its screen shown again). The spec runs its own server (playwright.config.ts,
// project "restart"): it is the one thing the spec may kill. A kill that loses the last output still
// leaves a prompt to type at.

// Its sessions are deleted by the fixture; stopped with SIGTERM, it leaves nothing else behind.
const server = restartProjectServer('e2e-restart');

test('after the server is killed or stopped and started again, the page reconnects to the same shell with its screen', async ({ page }) => {
  test.setTimeout(180_000);
  await startWithShell(page);
  const shellPid = (await runCommand(page, 'sleep 1000 & echo "pid=$$"')).find((line) => line.startsWith('pid='));
  expect(shellPid).toMatch(/^pid=\d+$/);

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    // A line this round prints (the typed command shows $((6*7)), the output 42).
    const marker = `before-${signal}-42`;
    expect(await runCommand(page, `echo "before-${signal}-$((6*7))"`)).toContain(marker);
    // Screens are saved every 2 s: a kill loses at most the last moments.
    await page.waitForTimeout(3_000);

    await server.stop(signal);
    const reconnecting = page.getByRole('status').filter({ hasText: 'Reconnecting…' });
    await expect(reconnecting).toBeVisible();
    await server.start();
    // No click, no reload: the page finds the server again.
    await expect(reconnecting).toBeHidden({ timeout: 30_000 });
    await waitForPrompt(page, { timeout: 30_000 });
    // The screen it had is there once, not lost and not doubled.
    await expect.poll(async () => (await terminalLines(page)).filter((line) => line === marker).length, { message: `the screen after ${signal}` }).toBe(1);
    await focusTerminal(page);
    const after = await runCommand(page, 'echo "pid=$$"; jobs');
    expect(after, `after ${signal}`).toContain(shellPid!);
    expect(after.join('\n'), `after ${signal}`).toMatch(/Running\s+sleep 1000 &/);
  }

  // Killed right after a command, before its output was saved: the screen kept shows the line half
  // typed, but the shell (asked to redraw) gives the prompt back, and work goes on in the same shell.
  const promptRow = await waitForPrompt(page);
  await focusTerminal(page);
  await page.keyboard.type('echo "unsaved-');
  await page.waitForTimeout(3_000);
  await page.keyboard.type('$((6*7))"');
  await page.keyboard.press('Enter');
  await waitForPrompt(page, { afterRow: promptRow });
  await server.stop('SIGKILL');
  const reconnecting = page.getByRole('status').filter({ hasText: 'Reconnecting…' });
  await expect(reconnecting).toBeVisible();
  await server.start();
  await expect(reconnecting).toBeHidden({ timeout: 30_000 });
  await waitForPrompt(page, { timeout: 30_000 });
  const last = await runCommand(page, 'echo "pid=$$"');
  expect(last, 'after a kill that lost the last output').toContain(shellPid!);
});
