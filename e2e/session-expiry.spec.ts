// Runs against the server whose sessions live 15 s (project 'short-ttl' in playwright.config.ts).
import { sessionKey } from '../server/src/sessions/session-key';
import { sessionContainers } from './docker-state';
import { expect, test } from './fixtures';
import { startFromLanding, timeLeftSeconds } from './playground-page';

test('an expired session ends by itself and leaves no containers behind', async ({ page }) => {
  test.setTimeout(120_000);
  const id = await startFromLanding(page);
  const key = sessionKey(id);

  expect(await timeLeftSeconds(page)).toBeLessThanOrEqual(15);
  expect((await sessionContainers(key)).length).toBeGreaterThan(0);

  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 60_000 });

  await expect
    .poll(async () => (await sessionContainers(key)).map((container) => container.Names.join(',')), {
      timeout: 30_000,
      intervals: [500, 1000, 2000],
      message: `containers labelled dev.playground.session=${key}`,
    })
    .toEqual([]);
});

test('before the end the page warns and offers to extend; extended once to the longest allowed, it says it cannot be extended further', async ({ page, request }) => {
  test.setTimeout(120_000);
  // This server: sessions of 15 s, at most 30 s with extensions, warned 7.5 s before the end. A
  // session from its warm pool gets all 15 s (a cold one spends some booting): wait for the pool.
  await expect
    .poll(async () => (await (await request.get('/metrics')).text()).match(/^playground_warm_pool_ready (\d+)$/m)?.[1], { timeout: 90_000 })
    .toBe('1');
  await startFromLanding(page);
  const warning = page.getByRole('region', { name: 'Session ending' });
  await expect(warning).toBeHidden();
  await expect(warning).toBeVisible({ timeout: 20_000 });
  await expect(warning).toContainText('This session ends in');
  const before = await timeLeftSeconds(page);
  expect(before).toBeLessThanOrEqual(8);

  await warning.getByRole('button', { name: 'Extend session' }).click();
  await expect.poll(() => timeLeftSeconds(page)).toBeGreaterThan(before + 10);
  await expect(warning).toBeHidden();

  // The second warning comes at the longest allowed end: no button, and words instead.
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(warning).toContainText('cannot be extended further');
  await expect(warning.getByRole('button', { name: 'Extend session' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 60_000 });
});
