import { apiPaths } from '../server/src/protocol/api-paths';
import { expect, SESSION_URL, test } from './fixtures';
import { startWithShell } from './playground-page';
import { focusTerminal, runCommand, waitForPrompt } from './terminal';

// Save gives a link; opening it starts a new session with what the saved one had made (a file, a
// Docker volume), while the saved session goes on. The saved state is deleted at the end.

test('Save gives a link that starts a new session with the files and Docker data of the saved one', async ({ page, request }) => {
  test.setTimeout(180_000);
  const original = await startWithShell(page);
  await runCommand(page, 'echo "kept by $((40+2))" > /root/note.txt && docker volume create saved-vol');

  await page.getByRole('button', { name: 'Save session', exact: true }).click();
  const saved = page.getByRole('region', { name: 'Saved session' });
  await expect(saved).toBeVisible({ timeout: 120_000 });
  await expect(saved).toContainText('This link starts a new session with everything in this one');
  const link = await saved.getByRole('textbox', { name: 'Link to the saved session' }).inputValue();
  expect(link).toMatch(/\/\?saved=[A-Za-z0-9_-]{22}$/);
  const savedId = new URL(link).searchParams.get('saved')!;
  // The saved session goes on.
  await focusTerminal(page);
  expect(await runCommand(page, 'cat /root/note.txt')).toEqual(['kept by 42']);

  try {
    await page.goto(link);
    await expect(page).toHaveURL(SESSION_URL, { timeout: 120_000 });
    expect(page.url()).not.toContain(original);
    await waitForPrompt(page, { timeout: 90_000 });
    expect(await runCommand(page, 'cat /root/note.txt; docker volume ls -q')).toEqual(['kept by 42', 'saved-vol']);
  } finally {
    expect((await request.delete(apiPaths.saved(savedId))).status()).toBe(204);
  }
  // Once deleted, the link says so in words.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Could not resume the saved session' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('There is no saved session by this link: it may have expired, or been deleted.')).toBeVisible();
});
