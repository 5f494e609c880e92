import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, SESSION_URL, test } from './fixtures';

// What the page shows of a swarm template (issue item 11): its title, a ready banner that can be
// dismissed, each node's role, and no preview links to Swarm's own control ports.
test('a swarm session names its template, labels managers and workers, offers no previews of Swarm ports, and its banner can be dismissed', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Swarm: 1 manager, 1 worker' }).click();
  await expect(page).toHaveURL(SESSION_URL, { timeout: 60_000 });
  const id = SESSION_URL.exec(new URL(page.url()).pathname)![1]!;

  // While assembled: the template's title, not its id (swarm-1m1w).
  const assembling = page.getByRole('status').filter({ hasText: /Assembling / });
  await expect(assembling).toContainText('Assembling Swarm: 1 manager, 1 worker');
  await expect(assembling).not.toContainText('swarm-1m1w');

  const ready = page.getByRole('status').filter({ hasText: 'A swarm of 1 manager and 1 worker is ready' });
  await expect(ready).toBeVisible({ timeout: 150_000 });

  // Roles beside the names.
  const list = page.getByRole('complementary', { name: 'Instances' });
  await expect(list.getByRole('button', { name: /^node1/ })).toContainText('manager');
  await expect(list.getByRole('button', { name: /^node2/ })).toContainText('worker');

  // Once the server reports Swarm's ports as listened on, the page has them too, but links none.
  await expect
    .poll(async () => {
      const session = (await (await request.get(`/api/sessions/${id}`)).json()) as SessionInfo;
      return session.instances.find((instance) => instance.name === 'node1')?.ports ?? [];
    }, { timeout: 30_000 })
    .toContain(2377);
  for (let poll = 0; poll < 2; poll++) {
    await page.waitForResponse((response) => response.request().method() === 'GET' && new URL(response.url()).pathname === `/api/sessions/${id}`);
  }
  await expect(page.getByLabel('Ports of node1')).toBeVisible();
  for (const port of ['2377', '7946', '4789']) {
    await expect(page.getByRole('link', { name: port, exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: `${port} on its own host name` })).toHaveCount(0);
  }

  // The ready banner goes when dismissed.
  await ready.getByRole('button', { name: 'Dismiss' }).click();
  await expect(ready).toHaveCount(0);
});
