import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand } from './terminal';

test('a web server published in an instance opens through its links, path form and host form', async ({ page, context }) => {
  await startWithShell(page);
  // nginx comes from the playground's own mirror (built from Debian's packages): no Docker Hub needed.
  await runCommand(page, 'docker run -d -p 8080:80 nginx', { timeout: 45_000 });

  const link = page.getByRole('link', { name: '8080', exact: true });
  await expect(link).toBeVisible({ timeout: 10_000 });

  const [pathForm] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(pathForm.getByRole('heading', { name: 'Welcome to nginx!' })).toBeVisible();
  expect(new URL(pathForm.url()).pathname).toMatch(/^\/p\/[0-9a-f]{32}\/node1\/8080\/$/);

  const [hostForm] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: '8080 on its own host name' }).click(),
  ]);
  await expect(hostForm.getByRole('heading', { name: 'Welcome to nginx!' })).toBeVisible();
  expect(new URL(hostForm.url()).hostname).toMatch(/^node1-8080-[0-9a-f]{32}\.localhost$/);

  // Open port: any port, typed.
  await page.getByRole('textbox', { name: 'Port to open in node1' }).fill('8080');
  const [typed] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open port' }).click()]);
  await expect(typed.getByRole('heading', { name: 'Welcome to nginx!' })).toBeVisible();
});
