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
