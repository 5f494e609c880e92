import { countApiRequests, pathAndQuery } from './api-requests';
import { expect, SESSION_URL, test } from './fixtures';
import { waitForPrompt } from './terminal';

test("a mistyped workshop link shows the server's answer after one request, and leads back to the list", async ({ page }) => {
  const count = countApiRequests(page);
  await page.goto('/?workshop=docker-102');

  await expect(page.getByRole('heading', { name: 'Could not start the workshop' })).toBeVisible();
  await expect(page.getByText('There is no workshop named "docker-102".')).toBeVisible();
  await page.waitForTimeout(3_000); // a loop would have sent dozens by now
  expect(count('POST /api/sessions')).toBe(1);
  expect(count('GET /api/workshops')).toBe(0);
  // Trying an unknown workshop again cannot help.
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);

  await page.getByRole('button', { name: 'See the workshops' }).click();
  await expect(page.getByRole('button', { name: 'Start Docker 101' })).toBeVisible();
  expect(pathAndQuery(page)).toBe('/');
  await page.waitForTimeout(1_000);
  expect(count('POST /api/sessions')).toBe(1);
  expect(count('GET /api/workshops')).toBe(1);
});

test('Back from the session a workshop link started goes where the person came from, and starts nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const count = countApiRequests(page);
  await page.goto('/');
  await page.goto('/?workshop=docker-101');
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  const session = pathAndQuery(page);
  await waitForPrompt(page, { timeout: 60_000 });
  expect(count('POST /api/sessions')).toBe(1);

  await page.goBack();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
  expect(pathAndQuery(page)).toBe('/');
  await page.waitForTimeout(2_000);
  expect(count('POST /api/sessions')).toBe(1);

  // Forward is the same session again.
  await page.goForward();
  expect(pathAndQuery(page)).toBe(session);
  await waitForPrompt(page, { timeout: 30_000 });
  expect(count('POST /api/sessions')).toBe(1);
});
