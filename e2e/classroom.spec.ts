import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { apiPaths } from '../server/src/protocol/api-paths';
import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, SESSION_URL, test } from './fixtures';
import { focusTerminal, terminalLines, waitForPrompt } from './terminal';

// A class (README "Classes"): a trainer makes one, its seats' sessions start before anyone joins,
// three learners (three browsers) join with names
// and go at their own pace, the cockpit shows who passed what and where each one is, the trainer
// watches one learner's terminal read-only (the learner's page says so) and types in it once the
// learner allows it, a message
// reaches every learner's page, everyone's session gets more time, and the class ends for everyone.

test('a trainer runs a class: three learners join, the cockpit follows them, a message reaches all, everyone gets more time', async ({ page, browser, sessions, request }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByRole('link', { name: 'Run a class' }).click();
  await expect(page).toHaveURL(/\/trainer$/);
  await page.getByLabel('Workshop').selectOption('docker-101');
  await page.getByLabel('Seats').fill('3');
  await page.getByRole('button', { name: 'Create the class' }).click();
  await expect(page).toHaveURL(/\/t\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByRole('heading', { name: 'Cockpit: Docker 101' })).toBeVisible();
  const learnerUrl = (await page.getByRole('link', { name: /\/e\/[a-z2-9]{8}$/ }).textContent())!.trim();
  await expect(page.getByText('Nobody has joined yet.')).toBeVisible();
  // The seats' sessions start before anyone joins (the class opens now): learners take them.
  await expect(page.getByText('0 of 3 seats taken (3 ready)')).toBeVisible({ timeout: 90_000 });

  const learners: Array<{ name: string; page: Page; id: string }> = [];
  for (const name of ['Ada', 'Grace', 'Linus']) {
    const context = await browser.newContext();
    const learner = await context.newPage();
    learner.on('response', (response) => sessions.watch(response));
    await learner.goto(learnerUrl);
    await expect(learner.getByRole('heading', { name: 'Join Docker 101' })).toBeVisible();
    await learner.getByLabel('Your name').fill(name);
    await learner.getByRole('button', { name: 'Join' }).click();
    await expect(learner).toHaveURL(SESSION_URL, { timeout: 90_000 });
    learners.push({ name, page: learner, id: SESSION_URL.exec(learner.url())![1]! });
  }
  const [ada, grace] = learners as [(typeof learners)[0], (typeof learners)[0]];
  for (const learner of learners) await expect(learner.page.getByRole('region', { name: 'Class' })).toContainText(`Docker 101 · ${learner.name} · the class ends in`);

  // Ada passes step 1 and moves on; Grace checks too early; Linus has not started.
  await waitForPrompt(ada.page, { timeout: 60_000 });
  const adaPanel = ada.page.getByRole('complementary', { name: 'Workshop' });
  await adaPanel.getByRole('button', { name: /Run/ }).first().click();
  await expect.poll(() => terminalLines(ada.page), { timeout: 30_000 }).toContain('[node1] ~ # docker run -d --name web nginx');
  await expect.poll(async () => {
    await adaPanel.getByRole('button', { name: 'Check' }).click();
    return adaPanel.getByRole('status').first().textContent();
  }, { timeout: 30_000 }).toBe('✓ web is running.');
  await adaPanel.getByRole('button', { name: 'Next' }).click();
  const gracePanel = grace.page.getByRole('complementary', { name: 'Workshop' });
  await gracePanel.getByRole('button', { name: 'Check' }).click();
  await expect(gracePanel.getByRole('status').first()).toHaveText('✗ There is no running container named web yet.');

  // The cockpit, asked every few seconds, shows each one where they are.
  await expect(page.getByRole('cell', { name: 'Ada, step 1: passed' })).toHaveText('✓', { timeout: 20_000 });
  await expect(page.getByRole('cell', { name: 'Ada, step 2: here' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('cell', { name: 'Grace, step 1: here' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Linus, step 1: here' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Grace, step 1: passed' })).toHaveCount(0);
  await expect(page.getByText('3 of 3 seats taken')).toBeVisible();

  // The trainer watches Ada's terminal, read-only; Ada's page says so, Grace's does not.
  await page.getByRole('button', { name: "Watch Ada's terminal" }).click();
  const watch = page.getByRole('region', { name: "Ada's terminal, read-only" });
  await expect(watch).toBeVisible();
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('[node1] ~ # docker run -d --name web nginx');
  await expect(ada.page.getByText('Your trainer is watching your terminal')).toBeVisible({ timeout: 30_000 });
  await expect(grace.page.getByText('Your trainer is watching your terminal')).toHaveCount(0);
  // Ada lets the trainer type: what the trainer types runs in Ada's shell.
  await ada.page.getByRole('button', { name: 'Let your trainer type' }).click();
  await expect(watch).toContainText('Ada lets you type in it', { timeout: 15_000 });
  await focusTerminal(page);
  await page.keyboard.type('echo typed-by-$((1+1))-trainer');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalLines(ada.page), { timeout: 30_000 }).toContain('typed-by-2-trainer');
  await ada.page.getByRole('button', { name: 'Stop letting your trainer type' }).click();
  await expect(watch).toContainText('read-only', { timeout: 15_000 });
  await watch.getByRole('button', { name: 'Stop watching' }).click();
  await expect(ada.page.getByText('Your trainer is watching your terminal')).toHaveCount(0, { timeout: 30_000 });

  // A message to every learner's page.
  await page.getByLabel('Message to every learner').fill('Break until 11:00');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Sent to every learner: “Break until 11:00”')).toBeVisible();
  for (const learner of learners) await expect(learner.page.getByText('Trainer: Break until 11:00')).toBeVisible({ timeout: 30_000 });

  // Everyone gets more time.
  const expiry = async (id: string) => Date.parse(((await (await request.get(apiPaths.session(id))).json()) as SessionInfo).expiresAt);
  const before = await Promise.all(learners.map((learner) => expiry(learner.id)));
  await page.getByRole('button', { name: "Extend everyone's session" }).click();
  await expect(page.getByText('Extended 3 sessions.')).toBeVisible();
  const after = await Promise.all(learners.map((learner) => expiry(learner.id)));
  after.forEach((end, i) => expect(end).toBeGreaterThan(before[i]!));

  // The results, as CSV.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download results (CSV)' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  expect(csv.split('\r\n').slice(1, 4).map((line) => line.split(',').slice(0, 1).concat(line.split(',').slice(2, 5)))).toEqual([
    ['Ada', '2', '1', '1'],
    ['Grace', '1', '0', '0'],
    ['Linus', '1', '0', '0'],
  ]);
  // The class's end for everyone: a second press ends every session; the learners' pages say so.
  await page.getByRole('button', { name: "End everyone's session", exact: true }).click();
  await page.getByRole('button', { name: 'Press again to end every session' }).click();
  await expect(page.getByText('Ended 3 sessions.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('cell', { name: 'Ada, step 1: passed' })).toBeVisible(); // the results stay
  for (const learner of learners) await expect(learner.page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 30_000 });
  for (const learner of learners) await learner.page.context().close();
});
