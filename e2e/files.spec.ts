import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand } from './terminal';

/** Drops files on the terminal as a person dragging them from their desktop would. */
async function dropFiles(page: Page, files: Array<{ name: string; content?: string; size?: number }>): Promise<void> {
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const file of files) {
      const body = file.content ?? new Uint8Array(file.size ?? 0);
      dt.items.add(new File([body], file.name));
    }
    return dt;
  }, files);
  const zone = page.getByRole('region', { name: /drop files here/ });
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

test('a file dropped on the terminal lands in /root, and cat shows it', async ({ page }) => {
  await startWithShell(page);
  await dropFiles(page, [{ name: 'greeting.txt', content: 'hello-from-the-desktop\n' }]);
  await expect(page.getByRole('status').filter({ hasText: 'Uploaded /root/greeting.txt' })).toBeVisible({ timeout: 20_000 });
  expect(await runCommand(page, 'cat greeting.txt')).toContain('hello-from-the-desktop');
});

test('an upload over the limit shows the error in words', async ({ page }) => {
  await startWithShell(page);
  await dropFiles(page, [{ name: 'huge.bin', size: 6_000_000 }]);
  await expect(page.getByRole('alert')).toContainText('over the limit of 5 MB', { timeout: 20_000 });
  expect(await runCommand(page, 'ls -A /root | grep -c huge || true')).toContain('0');
});

test('a Dockerfile written and saved in the editor is what cat shows, and it builds', async ({ page }) => {
  await startWithShell(page);
  await page.getByRole('button', { name: 'Files' }).click();
  page.once('dialog', (dialog) => void dialog.accept('Dockerfile'));
  await page.getByRole('button', { name: 'New file' }).click();

  const editor = page.getByRole('region', { name: 'Editor: /root/Dockerfile' });
  await editor.locator('.cm-content').click();
  await page.keyboard.type('FROM busybox\nCMD ["echo", "built-in-the-editor"]\n');
  await expect(editor.getByRole('status')).toHaveText('Unsaved changes');
  await page.keyboard.press('Control+s');
  await expect(editor.getByRole('status')).toHaveText('Saved');
  await expect(page.getByRole('button', { name: 'Dockerfile' })).toBeVisible();

  const cat = await runCommand(page, 'cat Dockerfile');
  expect(cat).toEqual(['FROM busybox', 'CMD ["echo", "built-in-the-editor"]']);
  const built = await runCommand(page, 'docker build -q -t from-editor . >/dev/null && docker run --rm from-editor', { timeout: 90_000 });
  expect(built).toContain('built-in-the-editor');
});

test('a file downloads from the files panel with its content', async ({ page }) => {
  await startWithShell(page);
  await runCommand(page, 'echo download-me > /root/notes.txt');
  await page.getByRole('button', { name: 'Files' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download notes.txt' }).click()]);
  expect(download.suggestedFilename()).toBe('notes.txt');
  expect(await readFile((await download.path())!, 'utf8')).toBe('download-me\n');
});
