// Steps through the playground's pages the way a person does.
import type { Page } from '@playwright/test';
import { expect, SESSION_URL } from './fixtures';
import { waitForPrompt } from './terminal';

/** Opens the landing page, clicks Start and waits for the session's URL. Returns the session id. */
export async function startFromLanding(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  return SESSION_URL.exec(new URL(page.url()).pathname)![1]!;
}

/** Starts a session from the landing page and waits for node1's prompt. Returns the session id. */
export async function startWithShell(page: Page): Promise<string> {
  const id = await startFromLanding(page);
  await waitForPrompt(page, { timeout: 45_000 });
  return id;
}

/**
 * Answers the confirmation that Close session and Delete instance ask for: presses the dialog's button
 * named `button` ("Close session", "Delete node2", "Cancel") and waits for the dialog to go.
 */
export async function answerConfirmation(page: Page, button: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The header's time left (h:mm:ss) in seconds. */
export async function timeLeftSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('time-left').textContent())?.trim() ?? '';
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`time left is not h:mm:ss: ${JSON.stringify(text)}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** A well-formed session id that no server has handed out (128 random bits, base64url). */
export function unknownSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64url');
}
