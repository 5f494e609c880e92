import type { Page } from '@playwright/test';
import type { Terminal } from '@xterm/xterm';
import { expect, SESSION_URL, test } from './fixtures';
import { contrastProblems } from './layout-check';
import { runCommand, waitForPrompt } from './terminal';

// Text at 4.5:1 or more against what it is drawn on (WCAG AA), in both themes. The terminal's own
// screen is checked separately: its 16 ANSI colours against its background (4.5:1 as well, though
// 3:1 would be acceptable for colours a program chooses) and what it really draws (the prompt).

type TerminalWindow = Window & { __playgroundTerminals?: Record<string, Terminal> };
type Theme = 'dark' | 'light';

async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate((theme) => localStorage.setItem('playground.terminal-settings', JSON.stringify({ fontSize: 14, theme })), theme);
}

/** The relative luminance of a computed rgb() colour (0 black to 1 white). */
function luminance(css: string): number {
  const [r, g, b] = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '0,0,0').split(/[\s,]+/).map(Number) as [number, number, number];
  const channel = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function ratio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

test('every text on the landing page reads at 4.5:1 or more, in both themes', async ({ page }) => {
  for (const theme of ['dark', 'light'] as const) {
    await page.goto('/');
    await useTheme(page, theme);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Start Docker 101' })).toBeVisible();
    await expect(page.getByText(/A session lasts/)).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await contrastProblems(page), `the landing page in the ${theme} theme`).toEqual([]);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  }
});

test('the session page reads at 4.5:1 in both themes; the light theme is light throughout, its terminal colours included', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 850 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Docker 101' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  // As much of the page showing as can be: Files open, a check's answer, the instance's numbers.
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  const files = page.getByRole('complementary', { name: /^Files of/ });
  await expect(files.getByRole('list', { name: 'Contents of /root' })).toBeVisible();
  const workshop = page.getByRole('complementary', { name: 'Workshop' });
  await workshop.getByRole('button', { name: 'Check' }).click();
  await expect(workshop.getByRole('status')).toContainText('✗');
  await expect(page.getByLabel('Use of node1')).toHaveText(/CPU/, { timeout: 15_000 });

  expect(await contrastProblems(page), 'the session page in the dark theme').toEqual([]);

  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await contrastProblems(page), 'the session page in the light theme').toEqual([]);
  // Header, side panels and toolbar are light too, not the dark theme's.
  for (const [name, locator] of [
    ['header', page.getByRole('banner')],
    ['instances panel', page.getByRole('complementary', { name: 'Instances' })],
    ['workshop panel', workshop],
    ['files panel', files],
    ['terminal toolbar', page.locator('.toolbar')],
  ] as const) {
    const background = await locator.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(luminance(background), `${name} background ${background}`).toBeGreaterThan(0.75);
  }

  // The palette: all 16 ANSI colours and the default text on the light background.
  const theme = await page.evaluate(() => (window as TerminalWindow).__playgroundTerminals!.node1!.options.theme!);
  const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
  const background = theme.background!;
  expect(background).toBe('#ffffff');
  const hexToCss = (hex: string) => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;
  expect(ratio(hexToCss(theme.foreground!), hexToCss(background))).toBeGreaterThanOrEqual(4.5);
  for (const name of [...names, ...names.map((n) => `bright${n[0]!.toUpperCase()}${n.slice(1)}` as const)]) {
    const colour = theme[name as keyof typeof theme] as string | undefined;
    expect(colour, `${name} is set`).toMatch(/^#[0-9a-f]{6}$/i);
    expect(ratio(hexToCss(colour!), hexToCss(background)), name).toBeGreaterThanOrEqual(4.5);
  }

  // What the terminal really draws: each colour as a program prints it, and the prompt.
  const printf = Array.from({ length: 16 }, (_, n) => `\\033[${n < 8 ? 30 + n : 90 + n - 8}mc${n}x\\033[0m`).join(' ');
  await runCommand(page, `printf '${printf}\\n'`);
  // xterm's DOM renderer draws rows on an animation frame: the spans may trail the prompt's arrival.
  const readDrawn = () =>
    page.evaluate(() => {
      const spans = [...document.querySelectorAll('.xterm-rows span')];
      const colourOf = (text: string) => {
        const span = [...spans].reverse().find((candidate) => candidate.textContent === text);
        return span ? getComputedStyle(span).color : null;
      };
      return {
        colours: Array.from({ length: 16 }, (_, n) => colourOf(`c${n}x`)),
        prompt: colourOf('[node1]'),
      };
    });
  await expect.poll(async () => (await readDrawn()).colours.every((colour) => colour !== null), { timeout: 10_000 }).toBe(true);
  const drawn = await readDrawn();
  const screen = hexToCss(background);
  expect(ratio(drawn.prompt!, screen), `the prompt (${drawn.prompt})`).toBeGreaterThanOrEqual(4.5);
  drawn.colours.forEach((colour, n) => {
    expect(colour, `colour ${n} was drawn`).not.toBeNull();
    expect(ratio(colour!, screen), `colour ${n} (${colour})`).toBeGreaterThanOrEqual(4.5);
  });
});
