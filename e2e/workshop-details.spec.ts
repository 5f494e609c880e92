import type { APIRequestContext, Locator, Page } from '@playwright/test';
import type { CheckResult, ExecResult, SessionInfo } from '../server/src/protocol/api-types';
import type { Workshop } from '../server/src/workshops/workshop-format';
import { expect, test, type SessionTracker } from './fixtures';

// The details of the workshop panel and of Docker 101's step 4 (issue item 10).

/** A Docker 101 session made through the API, its page opened at `step`. Returns the session. */
async function openAtStep(page: Page, request: APIRequestContext, sessions: SessionTracker, step: number): Promise<SessionInfo> {
  const created = await request.post('/api/sessions', { data: { workshop: 'docker-101' }, timeout: 60_000 });
  expect(created.status(), await created.text()).toBe(201);
  const session = (await created.json()) as SessionInfo;
  sessions.track(session.id);
  const moved = await request.put(`/api/sessions/${session.id}/workshop/progress`, { data: { current: step } });
  expect(moved.status(), await moved.text()).toBe(200);
  await page.goto(`/s/${session.id}`);
  await expect(workshopPanel(page).getByText(new RegExp(`^Step ${step} of 17`))).toBeVisible({ timeout: 30_000 });
  return session;
}

function workshopPanel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Workshop' });
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('a long command is readable in full: it wraps, and Run and Copy cover none of it', async ({ page, request, sessions }) => {
  await openAtStep(page, request, sessions, 4);
  const blocks = workshopPanel(page).locator('.block');
  await expect(blocks).toHaveCount(2);
  for (const block of await blocks.all()) {
    const pre = block.locator('pre');
    // Nothing runs off to the side: no hidden horizontal scrolling.
    expect(await pre.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    const code = (await block.locator('code').boundingBox())!;
    for (const button of await block.getByRole('button').all()) {
      expect(overlaps((await button.boundingBox())!, code), `${await button.textContent()} over the code`).toBe(false);
    }
  }
  // The first command (docker run ... ticker ...) is longer than the panel is wide: it wraps.
  const first = blocks.first().locator('code');
  const lines = await first.evaluate((element) => element.getClientRects().length);
  expect(lines).toBeGreaterThan(1);
  await expect(first).toContainText("done; sleep 3600'");
});

test("a step's Run buttons are named by what they run, each name different", async ({ page, request, sessions }) => {
  // Step 17 has four runnable blocks.
  await openAtStep(page, request, sessions, 17);
  const snapshot = await workshopPanel(page).getByRole('article').ariaSnapshot();
  const buttons = [...snapshot.matchAll(/- button "([^"]*)"/g)].map((match) => match[1]!);
  const runs = buttons.filter((name) => name.includes('Run'));
  expect(runs).toHaveLength(4);
  expect(new Set(runs).size).toBe(4);
  expect(runs).toContain('Run docker rm -f shopdb (4 lines)');
  for (const name of runs) expect(name).toMatch(/^Run \S/);
  const copies = buttons.filter((name) => name.startsWith('Copy'));
  expect(new Set(copies).size).toBe(copies.length);
});

test('a disabled Previous looks disabled: muted, with the not-allowed cursor', async ({ page, request, sessions }) => {
  await openAtStep(page, request, sessions, 1);
  const panel = workshopPanel(page);
  const previous = panel.getByRole('button', { name: 'Previous' });
  const next = panel.getByRole('button', { name: 'Next' });
  await expect(previous).toBeDisabled();
  await expect(next).toBeEnabled();
  const style = (locator: Locator) =>
    locator.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { color: computed.color, border: computed.borderTopColor, cursor: computed.cursor };
    });
  const [disabled, enabled] = [await style(previous), await style(next)];
  expect(disabled.color).not.toBe(enabled.color);
  expect(disabled.border).not.toBe(enabled.border);
  expect(disabled.cursor).toBe('not-allowed');
  expect(enabled.cursor).toBe('pointer');
});

// "Workshop complete" is checked at the end of workshop-docker-101.spec.ts, where every check passes for real.

test("step 4's check passes only once ticker's logs were read, not merely because ticker printed them", async ({ request, sessions }) => {
  test.setTimeout(120_000);
  const created = await request.post('/api/sessions', { data: { workshop: 'docker-101' }, timeout: 60_000 });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as SessionInfo;
  sessions.track(id);
  await sessions.waitUntilRunning(id);

  // The step's own commands, as its Run buttons would type them.
  const workshop = (await (await request.get('/api/workshops/docker-101')).json()) as Workshop;
  const commands = [...workshop.steps[3]!.markdown.matchAll(/```sh run\n([\s\S]*?)\n```/g)].map((match) => match[1]!);
  expect(commands).toHaveLength(2);
  const run = async (script: string) => {
    const response = await request.post(`/api/sessions/${id}/instances/node1/exec`, { data: { cmd: ['sh', '-c', script] }, timeout: 90_000 });
    expect(response.status(), await response.text()).toBe(200);
    const result = (await response.json()) as ExecResult;
    expect(result.exitCode, `${script}\n${result.stdout}${result.stderr}`).toBe(0);
  };
  const check = async () => {
    const response = await request.post(`/api/sessions/${id}/workshop/steps/4/check`, { timeout: 90_000 });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as CheckResult;
  };

  // ticker started and has printed all three ticks, but nobody has read its logs.
  await run(commands[0]!);
  await run('sleep 4');
  const before = await check();
  expect(before.passed, before.message).toBe(false);
  expect(before.message).toContain('/root/ticker-logs.txt');

  await run(commands[1]!);
  expect(await check()).toEqual({ passed: true, message: 'Logs read and saved.' });
});
