import { expect, test } from './fixtures';
import { unknownSessionId } from './playground-page';

test('an unknown session URL says the session does not exist', async ({ page }) => {
  await page.goto(`/s/${unknownSessionId()}`);

  await expect(page.getByRole('heading', { name: 'This session does not exist or has ended' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a new session' })).toBeVisible();
});
