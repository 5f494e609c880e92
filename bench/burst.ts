// 5. Burst: many sessions requested at once; how many succeed and how long each takes to its
// prompt. Baseline: as many sandboxes started directly at once, until READY.
import type { Benchmark } from './lib/context';
import { atLeast, atMost, type Figure, type Measured } from './lib/report';
import { openSession } from './lib/session-terminal';
import { summarize } from './lib/stats';

const ms = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'p5-p95' });

/** The first line of each distinct error, with counts. */
function errorSummary(errors: string[]): string {
  const counts = new Map<string, number>();
  for (const error of errors) {
    const line = error.split('\n')[0]!.slice(0, 200);
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, count]) => `${count}× ${line}`).join('; ');
}

export const burst: Benchmark = {
  name: 'burst',
  title: '5. Burst',
  async run(context) {
    const count = context.quick ? 5 : 20;
    const { api } = context;
    await context.waitForWarmPool();

    const outcomes = await Promise.allSettled(Array.from({ length: count }, () => openSession(api, { promptTimeoutMs: 180_000 })));
    const times: number[] = [];
    const errors: string[] = [];
    let warm = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        times.push(outcome.value.promptMs);
        if (context.server.servedWarm(outcome.value.session.id)) warm++;
        outcome.value.terminal.close();
      } else {
        errors.push((outcome.reason as Error).message);
      }
    }
    context.log(`burst: ${times.length} of ${count} sessions reached a prompt; deleting them`);
    const deleteErrors = await api.deleteAll();
    if (deleteErrors.length) throw new Error(`deleting the burst's sessions failed: ${deleteErrors.join('; ')}`);

    const direct = await Promise.allSettled(Array.from({ length: count }, () => context.sandboxes.start(180_000)));
    const directTimes: number[] = [];
    const directErrors: string[] = [];
    for (const outcome of direct) {
      if (outcome.status === 'fulfilled') directTimes.push(outcome.value.readyMs);
      else directErrors.push((outcome.reason as Error).message);
    }
    await context.sandboxes.removeAll();
    if (!times.length) throw new Error(`no session of the burst reached a prompt: ${errorSummary(errors)}`);

    const figures: Figure[] = [
      {
        label: `sessions that reached a prompt (${count} requested at once)`,
        measured: { kind: 'single', value: times.length, unit: 'sessions', detail: `of ${count}` },
        baseline: { label: 'sandboxes started directly at once that printed READY', measured: { kind: 'single', value: directTimes.length, unit: 'sessions', detail: `of ${count}` } },
        targets: [atLeast(`${count} of ${count}`, times.length, count)],
      },
      {
        label: 'time to prompt under the burst (POST → prompt on the socket)',
        measured: ms(times),
        baseline: directTimes.length ? { label: 'direct sandboxes at once → READY', measured: ms(directTimes) } : undefined,
        targets: [atMost('p50 under 2 s (the cold target; for reference)', summarize(times).p50, 2_000)],
      },
    ];
    const notes = [
      `${count} POST /api/sessions sent together to the main server, its warm pool of ${context.poolSize} full at the start (so up to ${context.poolSize} of them are served warm, the rest cold); each opens its terminal as soon as its POST answers and waits (up to 180 s) for the prompt. p50 and the p5–p95 spread are over the sessions that made it.`,
    ];
    notes.push(`${warm} of the ${times.length} sessions were served from the warm pool.`);
    if (errors.length) notes.push(`Failures: ${errorSummary(errors)}`);
    if (directErrors.length) notes.push(`Direct sandbox failures: ${errorSummary(directErrors)}`);
    return { figures, notes };
  },
};
