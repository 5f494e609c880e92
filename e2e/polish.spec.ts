import type { Locator } from '@playwright/test';
import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, test } from './fixtures';
import { contrastProblems } from './layout-check';
import { startWithShell } from './playground-page';

/** How many lines a block of text takes. */
async function lineCount(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    return Math.round(element.getBoundingClientRect().height / line);
  });
}

test('the landing page says how long a session lasts, explains the swarm buttons and styles its workshop button', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('session-lifetime')).toHaveText('A session lasts 4 hours; then it and everything in it is removed.');
  const swarm = page.getByRole('region', { name: 'Or start a Docker swarm' });
  await expect(swarm).toContainText('managers run the swarm');
  await expect(swarm.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' })).toBeVisible();
  // Drawn as the other secondary buttons are, not as the browser's grey default.
  const workshopButton = page.getByRole('button', { name: 'Start Docker 101' });
  const swarmButton = swarm.getByRole('button', { name: 'Swarm: 1 manager, 1 worker' });
  for (const property of ['background-color', 'border-top-color', 'border-top-left-radius', 'color']) {
    await expect(workshopButton).toHaveCSS(property, await swarmButton.evaluate((element, property) => getComputedStyle(element).getPropertyValue(property), property));
  }
});

test('the stats line stays on one line without moving the card, and the registry password is in one piece', async ({ page }) => {
  // The first numbers wait until the card was measured without them; then the widest there are.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/instances/node1/stats', async (route) => {
    await held;
    await route.fulfill({ json: { cpuPercent: 100, memoryBytes: 1023 * 1024 ** 2, memoryLimitBytes: 15.5 * 1024 ** 3 } });
  });
  await startWithShell(page);
  const panel = page.getByRole('complementary', { name: 'Instances' });
  const card = panel.getByRole('button', { name: /^node1/ });
  await expect(card).toContainText('running');
  const before = (await card.boundingBox())!.height;
  release();
  const usage = page.getByLabel('Use of node1');
  await expect(usage).toContainText('CPU 100%');
  expect(await lineCount(usage)).toBe(1);
  expect((await card.boundingBox())!.height).toBeCloseTo(before, 0);

  const registry = page.getByRole('region', { name: 'Session registry' });
  const session = (await page.evaluate((id) => fetch(`/api/sessions/${id}`).then((r) => r.json()), new URL(page.url()).pathname.split('/').at(-1))) as SessionInfo;
  const password = registry.getByText(session.registry.password, { exact: true });
  await expect(password).toBeVisible();
  expect(await lineCount(password)).toBe(1);
  expect(await password.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
});

test('a preview of a port nothing listens on offers Retry and a way back', async ({ page, sessions }) => {
  const session = await sessions.create();
  await sessions.waitUntilRunning(session.id);
  const preview = `/p/${session.previewKey}/node1/9999/`;
  await page.goto(preview);
  await expect(page.getByRole('heading', { name: 'Nothing is listening on port 9999 in node1 (yet).' })).toBeVisible();
  await page.getByRole('link', { name: 'Retry' }).click();
  await expect(page).toHaveURL(new RegExp(`${preview}$`));
  await expect(page.getByRole('heading', { name: /Nothing is listening on port 9999/ })).toBeVisible();
  expect(await contrastProblems(page)).toEqual([]);
  await page.getByRole('link', { name: 'Back to the playground' }).click();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
});

test('in the last minutes the header says in words that the session ends soon', async ({ page }) => {
  await startWithShell(page);
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  const session = (await page.evaluate((id) => fetch(`/api/sessions/${id}`).then((r) => r.json()), id)) as SessionInfo;
  await expect(page.getByRole('banner').getByText('Ends soon')).toHaveCount(0);

  await page.clock.setFixedTime(Date.parse(session.expiresAt) - 4 * 60_000);
  await expect(page.getByTestId('time-left')).toHaveText('0:04:00');
  const header = page.getByRole('banner');
  await expect(header.getByText('Ends soon')).toBeVisible();
  await expect(header.getByRole('status')).toHaveText('This session ends in less than 5 minutes: everything in it will be removed.');
  expect(await contrastProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Light theme' }).click();
  expect(await contrastProblems(page)).toEqual([]);
});
