import type { Page } from '@playwright/test';
import type { Terminal } from '@xterm/xterm';
import { expect, test } from './fixtures';
import { startWithShell } from './playground-page';
import { runCommand, terminalLines } from './terminal';

type MarkedWindow = Window & { __playgroundTerminals?: Record<string, Terminal & { e2eMark?: string }> };

/** Tags the terminal object now on the page; returns the tag of the one there now (set = false). */
function terminalMark(page: Page, set: boolean): Promise<string | undefined> {
  return page.evaluate((set) => {
    const term = (window as MarkedWindow).__playgroundTerminals?.node1;
    if (term && set) term.e2eMark = 'first';
    return term?.e2eMark;
  }, set);
}

test('clicking Start opens a shell on a Docker host that runs nested containers', async ({ page }) => {
  await startWithShell(page);
  expect(await terminalMark(page, true)).toBe('first');

  const output = await runCommand(page, 'docker run --rm busybox echo hello-from-nested', { timeout: 45_000 });

  // The output line itself, not just the echoed command.
  expect(output).toContain('hello-from-nested');
  expect(await terminalLines(page)).toContain('hello-from-nested');

  // The session is polled every few seconds; a poll must not rebuild (and reconnect) the terminal.
  const isPoll = (response: { url(): string; request(): { method(): string } }) =>
    response.request().method() === 'GET' && /^\/api\/sessions\/[^/]+$/.test(new URL(response.url()).pathname);
  await page.waitForResponse(isPoll, { timeout: 10_000 });
  await page.waitForResponse(isPoll, { timeout: 10_000 });
  expect(await terminalMark(page, false)).toBe('first');
});
