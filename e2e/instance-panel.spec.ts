import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand, terminalLines, waitForPrompt } from './terminal';

test('the instance panel shows live CPU and memory, and Restart brings the shell back with Docker data and the screen kept', async ({ page }) => {
  await startWithShell(page);
  // The e2e server keeps the default SANDBOX_MEMORY (2g).
  await expect(page.getByLabel('Use of node1')).toHaveText(/^CPU \d+% · \d+ MiB of 2 GiB$/, { timeout: 15_000 });

  await runCommand(page, 'docker pull -q busybox >/dev/null && docker tag busybox survives:restart && echo tagged', { timeout: 45_000 });
  await page.getByRole('button', { name: 'Restart node1' }).click();
  // The terminal reconnects by itself once the instance is back: a new shell below the old output,
  // which stays on screen (issue 16: restart cleared the terminal's history).
  await expect
    .poll(async () => (await terminalLines(page)).some((line) => line.includes('node1 restarted: a new shell')), { timeout: 60_000 })
    .toBe(true);
  await expect(page.getByRole('button', { name: /^node1/ })).toContainText('running', { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  const screen = await terminalLines(page);
  const restartLine = screen.findIndex((line) => line.includes('node1 restarted'));
  expect(screen.indexOf('tagged')).toBeGreaterThanOrEqual(0);
  expect(screen.indexOf('tagged')).toBeLessThan(restartLine);
  const images = await runCommand(page, 'docker image ls --format "{{.Repository}}:{{.Tag}}" | grep survives', { timeout: 45_000 });
  expect(images).toContain('survives:restart');
});

/** Makes the page believe it is (or is no longer) a background tab, as switching tabs would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('CPU and memory are not asked for while the page is hidden, and at once when it shows again', async ({ page }) => {
  await startWithShell(page);
  let statsRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/instances/node1/stats')) statsRequests += 1;
  });
  await expect.poll(() => statsRequests, { timeout: 10_000 }).toBeGreaterThan(0);

  await setHidden(page, true);
  const whenHidden = statsRequests;
  // Two poll intervals (3 s each) with nothing asked.
  await page.waitForTimeout(6_500);
  expect(statsRequests).toBe(whenHidden);

  await setHidden(page, false);
  // Sooner than the 3 s interval: the page asks as soon as it shows.
  await expect.poll(() => statsRequests, { timeout: 1_500 }).toBeGreaterThan(whenHidden);
});
