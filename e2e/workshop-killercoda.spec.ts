import { expect, SESSION_URL, test } from './fixtures';
import { terminalLines, waitForPrompt } from './terminal';

// workshops/docker-volumes is written in the Killercoda scenario format (index.json, a folder per
// step with text.md, verify.sh, background.sh, foreground.sh, {{exec}} and {{copy}} markers): it runs
// unchanged, end to end.

test('a Killercoda-format scenario runs end to end: {{exec}} runs, verify checks, the foreground is typed, the background ran', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Keep data in volumes' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  const panel = page.getByRole('complementary', { name: 'Workshop' });
  const check = panel.getByRole('button', { name: 'Check' });
  const passes = async (message: RegExp) => {
    await expect
      .poll(async () => {
        await check.click();
        await expect(check).toBeEnabled({ timeout: 30_000 });
        return panel.getByRole('status').first().textContent();
      }, { timeout: 30_000 })
      .toMatch(message);
  };

  // The intro: <br> is gone, the text is there; no check.
  await expect(panel.getByText('Step 1 of 5')).toBeVisible();
  await expect(panel.getByText('Killercoda scenario format')).toBeVisible();
  await expect(panel.getByText('<br>')).toHaveCount(0);
  await expect(check).toHaveCount(0);
  await panel.getByRole('button', { name: 'Next' }).click();

  // verify.sh is the check: its words when it fails.
  await expect(panel.getByRole('article', { name: 'Step 2: Make a volume' })).toBeVisible();
  await check.click();
  await expect(panel.getByRole('status')).toHaveText('✗ There is no volume named notes yet.');
  // `docker volume create notes`{{exec}} became a Run button.
  await panel.getByRole('button', { name: /Run/ }).first().click();
  await expect.poll(() => terminalLines(page), { timeout: 30_000 }).toContain('[node1] ~ # docker volume create notes');
  await passes(/^✓ /);
  await panel.getByRole('button', { name: 'Next' }).click();

  // The foreground script is typed into the terminal, after the background script readied busybox.
  await expect(panel.getByText('Step 3 of 5')).toBeVisible();
  await expect.poll(() => terminalLines(page).then((lines) => lines.join('\n')), { timeout: 60_000 }).toContain('busybox is ready');
  // {{copy}} code has Copy and no Run.
  const copyOnly = panel.locator('pre', { hasText: 'busybox ls /data' });
  await expect(copyOnly).toHaveCount(1);
  await panel.getByRole('button', { name: /Run/ }).first().click();
  await passes(/The note is in the volume\./);
  await panel.getByRole('button', { name: 'Next' }).click();

  await expect(panel.getByText('Step 4 of 5')).toBeVisible();
  await panel.getByRole('button', { name: /Run/ }).first().click();
  await passes(/^✓ /);
  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText('Step 5 of 5')).toBeVisible();
  await expect(panel.getByText('docker volume rm notes')).toBeVisible();
  await expect(panel.getByText("Workshop complete: every step's check has passed.")).toBeVisible();
});
