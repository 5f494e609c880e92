import { listContainers } from './docker-state';
import { expect, SESSION_URL, test } from './fixtures';
import { restartProjectServer } from './server-process';
import { waitForPrompt } from './terminal';
import { LABEL } from '../server/src/sandbox/labels';

// The server is killed while it makes the session a visitor asked for: the page says in words that
// the server could not be reached, the restarted server leaves nothing of that session behind, and
// Start works again. The spec runs its own server (project "restart", as restart-reconnect.spec.ts).

const server = restartProjectServer('e2e-kill-create');
const owner = server.name;
const ownContainers = async () => (await listContainers([`${LABEL.owner}=${owner}`])).length;

test('a server killed while it makes a session leaves nothing behind, and Start works once it is back', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  // The warm pool is off: the session's sandbox is made now. Killed as soon as it exists, before
  // the server could answer.
  await expect.poll(ownContainers, { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
  await server.stop('SIGKILL');
  await expect(page.getByRole('alert')).toContainText('Could not reach the playground server');
  await expect(page).toHaveURL(/\/$/);

  await server.start();
  // The start-up sweep ran before the server answered: nobody was given that session's id.
  expect(await ownContainers()).toBe(0);

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  await waitForPrompt(page, { timeout: 60_000 });
});
