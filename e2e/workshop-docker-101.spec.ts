import { expect, SESSION_URL, test } from './fixtures';
import { terminalLines, waitForPrompt } from './terminal';

// Docker 101 as a person runs it: every Run button in order, every step's Check until it passes.
test('the whole Docker 101 workshop runs through, every check passing', async ({ page, context }) => {
  test.setTimeout(480_000);
  await page.goto('/?workshop=docker-101');
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  const panel = page.getByRole('complementary', { name: 'Workshop' });

  const total = 17;
  for (let step = 1; step <= total; step++) {
    await expect(panel.getByText(new RegExp(`^Step ${step} of ${total}`))).toBeVisible();
    // As a person does: run a block, wait for its last command to finish, then the next.
    const blocks = panel.locator('.block').filter({ has: page.getByRole('button', { name: /Run/ }) });
    const count = await blocks.count();
    for (let index = 0; index < count; index++) {
      const block = blocks.nth(index);
      const label = (await block.getByRole('button', { name: /Run/ }).textContent()) ?? '';
      const instance = /on (node\d+)/.exec(label)?.[1] ?? 'node1';
      const lastLine = ((await block.locator('pre').textContent()) ?? '').trim().split('\n').at(-1)!.trim();
      await block.getByRole('button', { name: /Run/ }).click();
      await expect
        .poll(
          async () => {
            const lines = (await terminalLines(page, instance)).filter((line) => line.trim() !== '');
            let typed = -1;
            lines.forEach((line, at) => {
              if (line.includes(lastLine.slice(0, 40))) typed = at;
            });
            return typed >= 0 && lines.length - 1 > typed && /# ?$/.test(lines.at(-1) ?? '');
          },
          { timeout: 90_000, message: `waiting for "${lastLine}" to finish on ${instance}` },
        )
        .toBe(true);
    }

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
          // first(): the check's answer; after the last step "Workshop complete" follows it.
          return (await panel.getByRole('status').first().textContent()) ?? '';
        },
        { timeout: 90_000, intervals: [1_000, 2_000, 3_000] },
      )
      .toMatch(/^✓/);
    if (step < total) await panel.getByRole('button', { name: 'Next' }).click();
  }
  // Every check passed for real: the panel says the workshop is complete (issue 16, item 10).
  await expect(panel.getByRole('status').filter({ hasText: 'Workshop complete' })).toHaveText("Workshop complete: every step's check has passed.");
});
