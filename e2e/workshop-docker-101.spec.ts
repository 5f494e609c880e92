import { expect, SESSION_URL, test } from './fixtures';
import { waitForPrompt } from './terminal';

// Docker 101 as a person runs it: every Run button in order, every step's Check until it passes.
test('the whole Docker 101 workshop runs through, every check passing', async ({ page, context }) => {
  test.setTimeout(480_000);
  await page.goto('/?workshop=docker-101');
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  const panel = page.getByRole('complementary', { name: 'Workshop' });

  for (let step = 1; step <= 14; step++) {
    await expect(panel.getByText(new RegExp(`^Step ${step} of 14`))).toBeVisible();
    const runs = panel.getByRole('button', { name: /Run/ });
    const count = await runs.count();
    for (let index = 0; index < count; index++) await runs.nth(index).click();

    if (step === 12) {
      // The published port opens through its preview link.
      const link = page.getByRole('link', { name: '8080', exact: true });
      await expect(link).toBeVisible({ timeout: 15_000 });
      const [preview] = await Promise.all([context.waitForEvent('page'), link.click()]);
      await expect(preview.getByRole('heading', { name: 'Welcome to nginx!' })).toBeVisible();
      await preview.close();
    }

    await expect
      .poll(
        async () => {
          await panel.getByRole('button', { name: 'Check' }).click();
          await expect(panel.getByRole('button', { name: 'Check' })).toBeEnabled({ timeout: 60_000 });
          return (await panel.getByRole('status').textContent()) ?? '';
        },
        { timeout: 90_000, intervals: [1_000, 2_000, 3_000] },
      )
      .toMatch(/^✓/);
    if (step < 14) await panel.getByRole('button', { name: 'Next' }).click();
  }
});
