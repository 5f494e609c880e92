import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { contrastProblems } from './layout-check';
import { answerConfirmation, startWithShell } from './playground-page';
import { runCommand } from './terminal';

// The editor never loses work without a question (issue 16, item 5): New file does not empty a
// file that exists, Save does not replace one that appeared meanwhile without asking, closing or
// leaving with unsaved changes asks first, and its syntax colours read in both themes.

async function newFile(page: Page, name: string): Promise<void> {
  page.once('dialog', (dialog) => void dialog.accept(name));
  await page.getByRole('button', { name: 'New file' }).click();
}

async function openFiles(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Contents of /root' })).toBeVisible();
}

test('New file with the name of an existing Dockerfile opens it instead of an empty buffer', async ({ page }) => {
  await startWithShell(page);
  await runCommand(page, "printf 'FROM busybox\\nCMD [\"echo\", \"kept\"]\\n' > Dockerfile");
  await openFiles(page);
  await newFile(page, 'Dockerfile');

  const editor = page.getByRole('region', { name: 'Editor: /root/Dockerfile' });
  await expect(editor.locator('.cm-content')).toContainText('FROM busybox');
  await expect(page.getByRole('status').filter({ hasText: 'exists already' })).toBeVisible();
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('LABEL added=yes\n');
  await page.keyboard.press('Control+s');
  await expect(editor.getByRole('status')).toHaveText('Saved');
  expect(await runCommand(page, 'cat Dockerfile')).toEqual(['FROM busybox', 'CMD ["echo", "kept"]', 'LABEL added=yes']);
});

test('Save asks before replacing a file that appeared after New file, and Cancel keeps it', async ({ page }) => {
  await startWithShell(page);
  await openFiles(page);
  await newFile(page, 'notes.txt');
  const editor = page.getByRole('region', { name: 'Editor: /root/notes.txt' });
  await expect(editor.locator('.cm-content')).toBeVisible();
  await runCommand(page, 'echo written-in-the-shell > notes.txt');

  await editor.locator('.cm-content').click();
  await page.keyboard.type('written-in-the-editor');
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('dialog')).toContainText('Replace /root/notes.txt?');
  await answerConfirmation(page, 'Cancel');
  await expect(editor.getByRole('status')).toHaveText('Unsaved changes');
  expect(await runCommand(page, 'cat notes.txt')).toEqual(['written-in-the-shell']);

  await editor.getByRole('button', { name: 'Save' }).click();
  await answerConfirmation(page, 'Replace it');
  await expect(editor.getByRole('status')).toHaveText('Saved');
  // No newline was typed: echo ends the line before the prompt.
  expect(await runCommand(page, 'cat notes.txt; echo')).toEqual(['written-in-the-editor']);
});

test('closing the editor with unsaved changes asks first; hiding Files keeps them; leaving the page asks too', async ({ page }) => {
  await startWithShell(page);
  await runCommand(page, 'echo first-line > draft.txt');
  await openFiles(page);
  await page.getByRole('button', { name: 'draft.txt' }).click();
  const editor = page.getByRole('region', { name: 'Editor: /root/draft.txt' });
  await expect(editor.locator('.cm-content')).toContainText('first-line');
  await editor.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('unsaved-words');

  // Close, then Cancel: the editor and its words stay.
  await editor.getByRole('button', { name: 'Close the editor' }).click();
  await expect(page.getByRole('dialog')).toContainText('Discard your changes?');
  await answerConfirmation(page, 'Cancel');
  await expect(editor.locator('.cm-content')).toContainText('unsaved-words');

  // Hiding the files panel and showing it again keeps the unsaved words.
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(editor).toBeHidden();
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(editor.locator('.cm-content')).toContainText('unsaved-words');

  // Leaving the page: the browser's own question.
  const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => (resolve(dialog.type()), void dialog.dismiss())));
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
});

test('closing with unsaved changes and choosing Discard closes the editor; the file is unchanged', async ({ page }) => {
  await startWithShell(page);
  await runCommand(page, 'echo original > keep.txt');
  await openFiles(page);
  await page.getByRole('button', { name: 'keep.txt' }).click();
  const editor = page.getByRole('region', { name: 'Editor: /root/keep.txt' });
  await editor.locator('.cm-content').click();
  await page.keyboard.type('thrown-away ');
  await editor.getByRole('button', { name: 'Close the editor' }).click();
  await answerConfirmation(page, 'Discard changes');
  await expect(editor).toBeHidden();
  expect(await runCommand(page, 'cat keep.txt')).toEqual(['original']);
});

test("the editor's syntax colours read at 4.5:1 or more in both themes", async ({ page }) => {
  await startWithShell(page);
  await runCommand(page, "printf '# a comment\\nFROM busybox:1.36\\nENV GREETING=\"hello\" COUNT=3\\nRUN echo $GREETING\\n' > Dockerfile");
  await openFiles(page);
  await page.getByRole('button', { name: 'Dockerfile' }).click();
  const editor = page.getByRole('region', { name: 'Editor: /root/Dockerfile' });
  await expect(editor.locator('.cm-content')).toContainText('a comment');
  // Coloured tokens are drawn (the check below would pass vacuously on plain text).
  await expect.poll(() => editor.locator('.cm-line span').count()).toBeGreaterThan(2);

  for (const theme of ['dark', 'light'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) {
      await page.getByRole('button', { name: theme === 'light' ? 'Light theme' : 'Dark theme' }).click();
    }
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    expect(await contrastProblems(page), `the page with the editor open, ${theme} theme`).toEqual([]);
  }
});
