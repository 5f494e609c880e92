import { expect, test } from './fixtures';
import { answerConfirmation, startFromLanding, timeLeftSeconds } from './playground-page';

test('the time left counts down, and Close session ends the session', async ({ page, request }) => {
  const id = await startFromLanding(page);

  const timeLeft = page.getByTestId('time-left');
  await expect(timeLeft).toHaveText(/^\d+:\d{2}:\d{2}$/);
  const first = await timeLeftSeconds(page);
  expect(first).toBeGreaterThan(0);
  await expect.poll(() => timeLeftSeconds(page), { timeout: 5_000 }).toBeLessThan(first);

  await page.getByRole('button', { name: 'Close session' }).click();
  await answerConfirmation(page, 'Close session');

  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/removed/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a new session' })).toBeVisible();

  const response = await request.get(`/api/sessions/${id}`);
  expect(response.status()).toBe(404);
});
