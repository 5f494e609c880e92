import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, SESSION_URL, test } from './fixtures';
import { waitForPrompt } from './terminal';

test('workshop progress is kept with the session: a second browser opens at the same step, with the passed one ✓', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Docker 101' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  const id = SESSION_URL.exec(new URL(page.url()).pathname)![1]!;
  await waitForPrompt(page, { timeout: 60_000 });

  // Step 1 done (through the API, to be quick), checked in the page, then on to step 3.
  const ran = await request.post(`/api/sessions/${id}/instances/node1/exec`, {
    data: { cmd: ['sh', '-c', 'docker run -d --name web nginx'] },
    timeout: 60_000,
  });
  expect(ran.status(), await ran.text()).toBe(200);
  const panel = page.getByRole('complementary', { name: 'Workshop' });
  await panel.getByRole('button', { name: 'Check' }).click();
  await expect(panel.getByRole('status')).toHaveText('✓ web is running.');
  await expect(panel.getByText('Step 1 of 17 ✓')).toBeVisible();
  await panel.getByRole('button', { name: 'Next' }).click();
  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText(/^Step 3 of 17$/)).toBeVisible();

  // The server has it, for every browser on the session (and a trainer).
  await expect
    .poll(async () => ((await (await request.get(`/api/sessions/${id}`)).json()) as SessionInfo).workshop)
    .toEqual({ name: 'docker-101', passed: [1], current: 3 });

  const other = await browser.newContext({ baseURL });
  try {
    const second = await other.newPage();
    await second.goto(`/s/${id}`);
    const secondPanel = second.getByRole('complementary', { name: 'Workshop' });
    await expect(secondPanel.getByText(/^Step 3 of 17$/)).toBeVisible({ timeout: 30_000 });
    await secondPanel.getByRole('button', { name: 'Previous' }).click();
    await secondPanel.getByRole('button', { name: 'Previous' }).click();
    await expect(secondPanel.getByText('Step 1 of 17 ✓')).toBeVisible();
  } finally {
    await other.close();
  }
});
