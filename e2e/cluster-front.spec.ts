import { apiPaths } from '../server/src/protocol/api-paths';
import type { SessionInfo } from '../server/src/protocol/api-types';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { ServerProcess } from './server-process';
import { runCommand } from './terminal';

// Two nodes behind a front (ROLE=front), as in a cluster, on this machine's engine: people who
// open the front's page are placed on both nodes and work in their terminals through it; a node
// killed is said lost in words on its session's page, while the other node's session goes on; the
// node restarted keeps its session, and the page opens it again. Project "front" (playwright.config.ts).

const base = Number(process.env.E2E_PORT || 18080) + 4;
const nodeEnv = (name: string) => ({
  WARM_POOL: '0',
  REGISTRY_CACHE: 'off',
  SESSION_RATE_LIMIT: '0',
  MAX_SESSIONS_PER_CLIENT: '0',
  PLAYGROUND_NAME: `e2e-${name}-${base}`,
  NODE_NAME: name,
});
const nodeA = new ServerProcess(base + 1, nodeEnv('node-a'));
const nodeB = new ServerProcess(base + 2, nodeEnv('node-b'));
const front = new ServerProcess(base, { ROLE: 'front', NODES: `${nodeA.url},${nodeB.url}`, NODE_POLL_INTERVAL: '500' });

test.beforeAll(async () => {
  await Promise.all([nodeA.start(), nodeB.start()]);
  await front.start();
});
/** Sessions this spec made, removed through the front once both nodes run again (one was killed). */
const made: string[] = [];

test.afterAll(async () => {
  for (const node of [nodeA, nodeB]) if (!node.running) await node.start();
  for (const id of made) await fetch(`${front.url}${apiPaths.session(id)}`, { method: 'DELETE' }).catch(() => undefined);
  await front.stop('SIGTERM');
  await Promise.all([nodeA.stop('SIGTERM'), nodeB.stop('SIGTERM')]);
});

test('a front places people on both nodes; a lost node is said so in words, the other goes on', async ({ page, browser, request, sessions }) => {
  test.setTimeout(240_000);
  const nodeOf = async (id: string) => ((await (await request.get(`${front.url}${apiPaths.session(id)}`)).json()) as SessionInfo).node;

  const first = await startWithShell(page);
  made.push(first);
  const otherContext = await browser.newContext({ baseURL: front.url });
  const other = await otherContext.newPage();
  other.on('response', (response) => sessions.watch(response));
  const second = await startWithShell(other);
  made.push(second);
  const placed = { [first]: await nodeOf(first), [second]: await nodeOf(second) };
  expect(Object.values(placed).sort()).toEqual(['node-a', 'node-b']);

  expect(await runCommand(page, 'echo "first $((20+1))"')).toContain('first 21');
  expect(await runCommand(other, 'echo "second $((20+2))"')).toContain('second 22');

  // The node holding the first session dies: its page says so; the other person works on.
  const lostNode = placed[first] === 'node-a' ? nodeA : nodeB;
  await lostNode.stop('SIGKILL');
  await expect(page.getByRole('heading', { name: 'Could not open this session' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/machine that holds this session \(node-[ab]\) cannot be reached/)).toBeVisible();
  expect(await runCommand(other, 'echo "still $((40+2))"')).toContain('still 42');

  // Back: it adopts its session (nothing orphaned, nothing lost), and Try again opens it.
  await lostNode.start();
  await page.getByRole('button', { name: 'Try again' }).click();
  // The node was killed moments after the command: the screen it kept may end before the command's
  // output, and the shell, asked to redraw, still gives a prompt (restart-reconnect.spec.ts).
  expect(await runCommand(page, 'echo "back $((50+5))"', { timeout: 60_000 })).toContain('back 55');
  await otherContext.close();
});
