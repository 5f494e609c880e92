import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, test } from './fixtures';
import { startFromLanding, startWithShell } from './playground-page';
import { waitForPrompt } from './terminal';

test('Close session asks first: Cancel has the focus, and Cancel or Esc keeps the session', async ({ page, request }) => {
  const id = await startFromLanding(page);
  const close = page.getByRole('button', { name: 'Close session' });
  const dialog = page.getByRole('dialog', { name: 'Close this session?' });

  await close.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter'); // on Cancel: changes nothing
  await expect(dialog).toBeHidden();

  await close.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(500);
  expect((await request.get(`/api/sessions/${id}`)).status()).toBe(200);
  await expect(page.getByTestId('time-left')).toBeVisible();

  await close.click();
  await dialog.getByRole('button', { name: 'Close session' }).click();
  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible({ timeout: 30_000 });
  expect((await request.get(`/api/sessions/${id}`)).status()).toBe(404);
});

test('Delete instance asks first; deleting the last one leaves a way to add one, not a spinner', async ({ page, request }) => {
  const id = await startWithShell(page);
  const instances = async () => ((await (await request.get(`/api/sessions/${id}`)).json()) as SessionInfo).instances.map((instance) => instance.name);
  const dialog = page.getByRole('dialog', { name: 'Delete node1?' });

  await page.getByRole('button', { name: 'Delete node1' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('It is the only instance');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(500);
  expect(await instances()).toEqual(['node1']);

  await page.getByRole('button', { name: 'Delete node1' }).click();
  await dialog.getByRole('button', { name: 'Delete node1' }).click();
  const terminalArea = page.getByRole('main');
  await expect(terminalArea.getByText('This session has no instances.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Starting/)).toHaveCount(0);
  expect(await instances()).toEqual([]);

  await terminalArea.getByRole('button', { name: '+ Add instance' }).click();
  await waitForPrompt(page, { timeout: 45_000 });
  expect(await instances()).toEqual(['node1']);
});
