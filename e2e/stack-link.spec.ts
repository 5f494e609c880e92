import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, SESSION_URL, test } from './fixtures';
import { runCommand, waitForPrompt } from './terminal';

// Play-with-Docker's "Try in PWD" links: /?stack=<URL of a compose file>&stack_name=<name> starts a
// session that deploys it. The compose file is served on loopback (the e2e server has STACK_LINKS=any).

const COMPOSE = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n';
let files: Server;
let base = '';

test.beforeAll(async () => {
  files = createServer((request, response) => {
    if (request.url === '/demo.yml') return response.end(COMPOSE);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

test('a stack link starts a session that deploys the compose file, and says when it is up', async ({ page }) => {
  await page.goto(`/?stack=${encodeURIComponent(`${base}/demo.yml`)}&stack_name=demo`);
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'The stack demo is up on node1' })).toContainText('1 service running: web', { timeout: 90_000 });
  await waitForPrompt(page, { timeout: 60_000 });
  expect(await runCommand(page, 'cd /root/demo && docker compose ps --services')).toEqual(['web']);
  // Back leaves the session; it does not fetch and start the stack again.
  await page.goBack();
  await expect(page).not.toHaveURL(/stack=/);
});

test('a stack link whose file cannot be fetched says so in words, with Try again, and starts nothing', async ({ page }) => {
  await page.goto(`/?stack=${encodeURIComponent(`${base}/gone.yml`)}`);
  await expect(page.getByRole('heading', { name: 'Could not start the stack' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`The playground could not fetch the compose file at ${base}/gone.yml: the server there answered 404. No session was started.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a new session' })).toBeVisible();
});
