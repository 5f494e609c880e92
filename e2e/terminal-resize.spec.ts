import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { readScreen, runCommand } from './terminal';

/** What `stty size` prints in the shell: "rows cols". */
async function sttySize(page: Page): Promise<string> {
  const output = await runCommand(page, 'stty size');
  return output.filter((line) => /^\d+ \d+$/.test(line)).at(-1) ?? `(no size in ${JSON.stringify(output)})`;
}

async function xtermSize(page: Page): Promise<string> {
  const screen = await readScreen(page);
  return screen ? `${screen.rows} ${screen.cols}` : '(no terminal)';
}

test('resizing the window resizes the shell', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await startWithShell(page);

  // The size the client reported right after connecting reaches the shell.
  await expect.poll(() => sttySize(page), { timeout: 20_000, intervals: [500, 1000] }).toBe(await xtermSize(page));
  const before = await sttySize(page);
  expect(before).toMatch(/^\d+ \d+$/);

  await page.setViewportSize({ width: 860, height: 520 });
  await expect.poll(() => xtermSize(page), { timeout: 10_000 }).not.toBe(before);

  const expected = await xtermSize(page);
  await expect.poll(() => sttySize(page), { timeout: 20_000, intervals: [500, 1000] }).toBe(expected);
  const after = await sttySize(page);
  expect(after).toMatch(/^\d+ \d+$/);
  expect(after).not.toBe(before);
});
