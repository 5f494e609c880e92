import { expect, test } from './fixtures';

// Runs against a server with room for one session (MAX_SESSIONS=1, see playwright.config.ts), which
// trusts loopback as a proxy: visitors are told apart by X-Forwarded-For (documentation addresses,
// never contacted).
test('when the playground is full, Start puts visitors in line with their place; their sessions start by themselves as room frees', async ({ page, browser, sessions, request, baseURL }) => {
  test.setTimeout(180_000);
  const taken = await sessions.create(); // takes the only place
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.1' });
  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'The playground is full: you are in line' })).toBeVisible();
  await expect(page.getByText('You are next in line.')).toBeVisible();
  await expect(page.getByText(/A place frees within .* at the latest/)).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  // A second visitor, from another address, is behind the first.
  const other = await browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.2' } });
  const second = await other.newPage();
  second.on('response', (response) => sessions.watch(response));
  await second.goto('/');
  await second.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(second.getByText('You are number 2 in line.')).toBeVisible();
  expect(await (await request.get('/metrics')).text()).toMatch(/^playground_waiting_line 2$/m);

  // The only session closes: the first in line gets its session by itself, the second moves up.
  expect((await request.delete(`/api/sessions/${taken.id}`)).status()).toBe(204);
  await expect(page).toHaveURL(/\/s\//, { timeout: 90_000 });
  await expect(page.getByRole('banner')).toContainText('Close session');
  await expect(second.getByText('You are next in line.')).toBeVisible({ timeout: 15_000 });

  // The second leaves the line: no place is left behind.
  await second.getByRole('button', { name: 'Leave the line' }).click();
  await expect(second.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
  await expect.poll(async () => (await (await request.get('/metrics')).text()).match(/^playground_waiting_line (\d+)$/m)?.[1]).toBe('0');
  await other.close();
});

test('Add instance over the limit says so in words', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/\/s\//, { timeout: 60_000 });
  await page.getByRole('button', { name: '+ Add instance' }).click();
  await expect(page.getByRole('button', { name: /^node2/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '+ Add instance' }).click();
  await expect(page.getByRole('alert')).toContainText('already has 2 instances, the most allowed');
});

test('a template larger than the instance limit is refused in words, under Start', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' }).click();
  await expect(page.getByRole('alert')).toContainText('needs 5 instances, but MAX_INSTANCES is 2');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('button', { name: 'Swarm: 3 managers, 2 workers' })).toBeEnabled();
});
