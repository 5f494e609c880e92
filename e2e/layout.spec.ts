import type { Page } from '@playwright/test';
import { expect, SESSION_URL, test } from './fixtures';
import { boxes, expectUncovered, offScreen, overlaps, terminalSize } from './layout-check';
import { startWithShell } from './playground-page';
import { runCommand, terminalLines, waitForPrompt } from './terminal';

/** Starts Docker 101 from the landing page, as a learner does, and waits for the prompt. */
async function startWorkshop(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Docker 101' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
}

/**
 * The page's key elements at this size: none covers another, none is off screen, the step's header
 * and Close session are what a click on them reaches, and the page itself never scrolls sideways.
 */
async function expectTidy(page: Page): Promise<void> {
  const viewport = page.viewportSize()!;
  const workshop = page.getByRole('complementary', { name: 'Workshop' });
  const found = await boxes({
    'Close session': page.getByRole('button', { name: 'Close session' }),
    'time left': page.getByTestId('time-left'),
    'instances panel': page.getByRole('complementary', { name: 'Instances' }),
    'workshop panel': workshop,
    'files panel': page.getByRole('complementary', { name: /^Files of/ }),
    'terminal tabs': page.getByRole('tablist', { name: /^Terminals of/ }),
    'A−': page.getByRole('button', { name: 'Smaller text' }),
    'A+': page.getByRole('button', { name: 'Larger text' }),
    'theme button': page.getByRole('button', { name: /theme$/ }),
    'Files button': page.getByRole('button', { name: 'Files', exact: true }),
    terminal: page.locator('.xterm-screen'),
  });
  expect(found.map((box) => box.name)).toEqual(expect.arrayContaining(['Close session', 'time left']));
  expect(overlaps(found)).toEqual([]);
  expect(offScreen(found, viewport)).toEqual([]);
  await expectUncovered(page.getByRole('button', { name: 'Close session' }));
  const step = workshop.getByText(/^Step \d+ of \d+/);
  if (await step.isVisible()) {
    await expectUncovered(step);
    expect(offScreen(await boxes({ 'step header': step }), viewport)).toEqual([]);
  }
  const tabs = page.getByRole('tablist', { name: /^Terminals of/ });
  if (await tabs.isVisible()) await expectUncovered(tabs.getByRole('tab').first());
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(viewport.width);
}

async function columns(page: Page): Promise<number> {
  return (await terminalSize(page)).cols;
}

test('beside the workshop and Files the terminal keeps 80 columns and nothing overlaps, at 1400×850 and 1280×720', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 850 });
  await startWorkshop(page);
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(page.getByRole('complementary', { name: /^Files of/ })).toBeVisible();
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(80);
  await expectTidy(page);
  // The instances panel made room by folding into a rail, from which an instance is still chosen.
  await expect(page.getByRole('button', { name: 'node1', exact: true })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(80);
  await expectTidy(page);

  // Panels fold and resize, by mouse and keyboard; the terminal follows.
  const open = await columns(page);
  await page.getByRole('button', { name: 'Fold the instances panel' }).click();
  await expect.poll(() => columns(page)).toBeGreaterThan(open);
  await page.getByRole('button', { name: 'Show the instances panel' }).click();
  await expect.poll(() => columns(page)).toBe(open);
  const resizer = page.getByRole('separator', { name: 'Resize the Workshop panel' });
  await resizer.focus();
  await page.keyboard.press('End');
  await expect.poll(() => columns(page)).toBeLessThan(open - 10);
  await page.keyboard.press('Home');
  await expect.poll(() => columns(page)).toBeGreaterThan(open);
  const handle = (await resizer.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 200, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Number(await resizer.getAttribute('aria-valuenow'))).toBeGreaterThan(400);
  await page.getByRole('button', { name: 'Workshop', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Workshop' })).toBeHidden();
  await expect.poll(() => columns(page)).toBeGreaterThan(open + 30);
  await page.getByRole('button', { name: 'Workshop', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Workshop' })).toBeVisible();

  // Narrower than a laptop, still above the phone layout: the toolbar stays off the instances.
  await page.setViewportSize({ width: 760, height: 700 });
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(30);
  await expectTidy(page);
});

test('at 760 px the workshop and Files take turns beside a terminal of 45 columns or more', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 760, height: 700 });
  await startWorkshop(page);
  const workshop = page.getByRole('complementary', { name: 'Workshop' });
  const files = page.getByRole('complementary', { name: /^Files of/ });
  await expect(workshop).toBeVisible();
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(45);
  await expectTidy(page);

  // Files opened: there is no room for both beside the terminal, so it takes the workshop's place.
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(files).toBeVisible();
  await expect(workshop).toBeHidden();
  await expect(page.getByRole('button', { name: 'Workshop', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(45);
  await expectTidy(page);

  // Workshop pressed: it comes back and Files steps aside.
  await page.getByRole('button', { name: 'Workshop', exact: true }).click();
  await expect(workshop).toBeVisible();
  await expect(files).toBeHidden();
  await expect(page.getByRole('button', { name: 'Files', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => columns(page)).toBeGreaterThanOrEqual(45);
  await expectTidy(page);
});

test('on a phone (390×844) a learner reads a step, runs it and types a command, with Close on screen', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await startWorkshop(page);
  const workshop = page.getByRole('complementary', { name: 'Workshop' });
  await expect(workshop.getByRole('heading', { name: 'Run a container in the background' })).toBeVisible();
  await expectTidy(page);

  // Run brings the terminal to the front, fitted to the screen, with the command running in it.
  await workshop.getByRole('button', { name: /Run/ }).first().click();
  await expect(page.locator('.xterm-screen')).toBeVisible();
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('[node1] ~ # docker run -d --name web nginx');
  const size = await terminalSize(page);
  expect(size.cols).toBeGreaterThanOrEqual(38);
  expect(size.rows).toBeGreaterThanOrEqual(15);
  const screen = (await page.locator('.xterm-screen').boundingBox())!;
  expect(screen.x + screen.width).toBeLessThanOrEqual(390);
  expect(screen.y + screen.height).toBeLessThanOrEqual(844);
  await expectTidy(page);
  expect(await runCommand(page, 'echo typed-on-a-phone')).toContain('typed-on-a-phone');

  // And back to the step, and to the instances.
  await page.getByRole('button', { name: 'Workshop', exact: true }).click();
  await expect(workshop.getByText(/^Step 1 of \d+/)).toBeVisible();
  await page.getByRole('button', { name: 'Instances', exact: true }).click();
  await expect(page.getByRole('button', { name: /^node1/ })).toBeVisible();
  await expectTidy(page);
});

test('A+ twice and a click in the terminal never scroll the page: the terminal refits instead', async ({ page }) => {
  await startWithShell(page);
  const before = await terminalSize(page);
  await page.getByRole('button', { name: 'Larger text' }).click();
  await page.getByRole('button', { name: 'Larger text' }).click();
  await expect(page.getByLabel('Font size')).toHaveText('16px');
  await page.locator('.xterm-screen').click();
  await page.keyboard.type('echo after-a-bigger-font');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(page)).toContain('after-a-bigger-font');

  const where = () =>
    page.evaluate(() => ({
      scrollY: window.scrollY,
      rootScroll: document.scrollingElement!.scrollTop,
      headerTop: document.querySelector('header')!.getBoundingClientRect().top,
    }));
  expect(await where()).toEqual({ scrollY: 0, rootScroll: 0, headerTop: 0 });
  // Fewer, bigger rows, all inside the pane: the prompt line is not cut.
  await expect.poll(async () => (await terminalSize(page)).rows).toBeLessThan(before.rows);
  await expect
    .poll(() =>
      page.evaluate(() => {
        const screen = document.querySelector('.xterm-screen')!.getBoundingClientRect();
        const pane = document.querySelector('.xterm')!.parentElement!.getBoundingClientRect();
        return screen.bottom <= pane.bottom + 1 && screen.bottom <= window.innerHeight;
      }),
    )
    .toBe(true);
  await page.mouse.wheel(0, 400);
  expect(await where()).toEqual({ scrollY: 0, rootScroll: 0, headerTop: 0 });
});
