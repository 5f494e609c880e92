// 1. Time to prompt: POST /api/sessions -> prompt on the terminal socket; click on Start in
// Chromium -> prompt in the xterm buffer. Cold (a server with WARM_POOL=0) and warm (the main
// server, its pool full before each run). Baseline: the sandbox image started directly, until its
// nested dockerd answers (PLAYGROUND_SANDBOX_READY).
import { ApiClient } from './lib/api-client';
import type { BenchContext, Benchmark } from './lib/context';
import { newBenchPage, pageClickTime, pagePromptTime } from './lib/browser';
import { atMost, type Figure, type Measured, type Target } from './lib/report';
import type { ServerProcess } from './lib/server-process';
import { openSession } from './lib/session-terminal';
import { summarize } from './lib/stats';

const COLD_TARGET_MS = 2_000;
const WARM_TARGET_MS = 200;
const SESSION_PATH = /^\/s\/([A-Za-z0-9_-]{22})$/;

interface Run {
  ms: number;
  postMs?: number;
  warm: boolean;
}

function ms(values: number[]): Measured {
  return { kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max' };
}

async function baselineRun(context: BenchContext): Promise<number> {
  const sandbox = await context.sandboxes.start();
  await context.sandboxes.remove(sandbox);
  return sandbox.readyMs;
}

async function apiRun(server: ServerProcess, api: ApiClient): Promise<Run> {
  const open = await openSession(api);
  open.terminal.close();
  await api.deleteSession(open.session.id);
  return { ms: open.promptMs, postMs: open.postMs, warm: server.servedWarm(open.session.id) };
}

async function browserRun(context: BenchContext, server: ServerProcess, api: ApiClient): Promise<Run> {
  const page = await newBenchPage(await context.browser(), server.url);
  let id: string | undefined;
  try {
    await page.goto('/');
    const start = page.getByRole('button', { name: 'Start', exact: true });
    await start.waitFor({ state: 'visible', timeout: 30_000 });
    await start.click();
    const prompted = await pagePromptTime(page, { timeoutMs: 90_000 });
    const clicked = await pageClickTime(page);
    if (clicked === undefined) throw new Error('the click on Start was not seen by the page');
    id = SESSION_PATH.exec(new URL(page.url()).pathname)?.[1];
    return { ms: prompted - clicked, warm: id ? server.servedWarm(id) : false };
  } finally {
    id ??= SESSION_PATH.exec(new URL(page.url()).pathname)?.[1];
    if (id) api.track(id);
    await page.context().close();
    if (id) await api.deleteSession(id);
  }
}

export const timeToPrompt: Benchmark = {
  name: 'time-to-prompt',
  title: '1. Time to prompt',
  async run(context) {
    const coldRuns = context.quick ? 2 : 10;
    const warmRuns = context.quick ? 2 : 10;
    const browserRuns = context.quick ? 1 : 5;
    const baseline: number[] = [];
    const runs = { coldApi: [] as Run[], coldBrowser: [] as Run[], warmApi: [] as Run[], warmBrowser: [] as Run[] };

    // Cold: a second server without a warm pool (the main server's pool stays idle meanwhile).
    const coldServer = await context.startServer({ WARM_POOL: '0' });
    const coldApi = new ApiClient(coldServer.url);
    try {
      // Interleaved with the baseline, so drifting load on the machine affects both alike.
      for (let i = 0; i < coldRuns; i++) {
        baseline.push(await baselineRun(context));
        runs.coldApi.push(await apiRun(coldServer, coldApi));
        context.log(`time-to-prompt cold ${i + 1}/${coldRuns}: direct ${baseline.at(-1)!.toFixed(0)} ms, API ${runs.coldApi.at(-1)!.ms.toFixed(0)} ms`);
      }
      for (let i = 0; i < browserRuns; i++) {
        runs.coldBrowser.push(await browserRun(context, coldServer, coldApi));
        context.log(`time-to-prompt cold browser ${i + 1}/${browserRuns}: ${runs.coldBrowser.at(-1)!.ms.toFixed(0)} ms`);
      }
    } finally {
      await coldApi.deleteAll();
      await coldServer.stop();
    }

    // Warm: the main server, its pool full before each run.
    let poolShort = 0;
    for (let i = 0; i < warmRuns + browserRuns; i++) {
      if (!(await context.waitForWarmPool())) poolShort++;
      const browser = i >= warmRuns;
      const run = browser ? await browserRun(context, context.server, context.api) : await apiRun(context.server, context.api);
      (browser ? runs.warmBrowser : runs.warmApi).push(run);
      context.log(`time-to-prompt warm ${browser ? 'browser' : 'API'}: ${run.ms.toFixed(0)} ms${run.warm ? '' : ' (NOT from the pool)'}`);
    }

    const baselineFigure = { label: 'sandbox started directly → READY', measured: ms(baseline) };
    const figure = (label: string, sample: Run[], target: (median: number) => Target): Figure[] => {
      if (!sample.length) return [];
      const values = sample.map((run) => run.ms);
      return [{ label, measured: ms(values), baseline: baselineFigure, targets: [target(summarize(values).p50)] }];
    };
    const warmOnly = (sample: Run[]) => sample.filter((run) => run.warm);
    const coldTarget = (median: number) => atMost('cold: median under 2 s', median, COLD_TARGET_MS);
    const warmTarget = (median: number) => atMost('warm: median 200 ms', median, WARM_TARGET_MS);
    const notWarm = runs.warmApi.length + runs.warmBrowser.length - warmOnly(runs.warmApi).length - warmOnly(runs.warmBrowser).length;

    const figures: Figure[] = [
      ...figure('cold, API: POST /api/sessions → prompt on the terminal socket', runs.coldApi, coldTarget),
      { label: 'cold, of which POST /api/sessions until it answers', measured: ms(runs.coldApi.map((run) => run.postMs!)) },
      ...figure('cold, browser: click on Start → prompt in the xterm buffer', runs.coldBrowser, coldTarget),
      ...figure(`warm (pool of ${context.poolSize}), API: POST → prompt`, warmOnly(runs.warmApi), warmTarget),
      ...figure(`warm (pool of ${context.poolSize}), browser: click on Start → prompt`, warmOnly(runs.warmBrowser), warmTarget),
    ];
    const notes = [
      'Cold: a second server with WARM_POOL=0, so every session starts a new network, volume and sandbox whose nested dockerd must boot before the login shell prints its prompt. Warm: the main server with its default pool; before each run the bench waits until the pool is full again (every pooled sandbox printed READY), and counts a run as warm only when the server logged "session created from the warm pool" for it.',
      'The baseline creates a volume and starts the sandbox image with sandboxHostConfig() (no session network, no registry mirror) and stops the clock at its PLAYGROUND_SANDBOX_READY line; it includes the host engine creating and starting a container.',
      'The browser time is measured inside the page: from the click event on Start to the first 5 ms poll that finds `# ` before the cursor in window.__playgroundTerminals.node1.buffer.active.',
    ];
    if (notWarm) notes.push(`${notWarm} warm-phase run(s) were not served from the pool and are left out of the warm figures.`);
    if (poolShort) notes.push(`${poolShort} time(s) the pool was not full within 60 s.`);
    return { figures, notes };
  },
};
