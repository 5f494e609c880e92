// 7. Capacity: a class on one machine, really created. N one-instance sessions (200 in a full run),
// each with a shell attached, on the server with its default caps; then, at that density, how
// promptly an exec and a keystroke echo answer, beside the same measured with one session alive,
// and what each session costs the host (MemAvailable before and after, over N).
import { readFile } from 'node:fs/promises';
import { defaultMaxTotalInstances } from '../server/src/admission/admission';
import { parseMemAvailable } from '../server/src/admission/host-memory';
import { ApiClient } from './lib/api-client';
import type { Benchmark } from './lib/context';
import { containerMemory } from './lib/container-memory';
import { atLeast, atMost, type Figure, type Measured } from './lib/report';
import { instanceContainerName } from './lib/session-terminal';
import { median, summarize } from './lib/stats';
import { TerminalClient } from './lib/terminal-client';
import { now, sleep } from './lib/time';

const MiB = 1024 * 1024;
/** Sessions created at once: enough to keep the engine busy, few enough not to time out on 2 cores. */
const CONCURRENCY = 4;

async function memAvailable(): Promise<number> {
  const value = parseMemAvailable(await readFile('/proc/meminfo', 'utf8'));
  if (value === undefined) throw new Error('no MemAvailable in /proc/meminfo');
  return value;
}

const ms = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'p5-p95' });

export const capacity: Benchmark = {
  name: 'capacity',
  title: '7. Capacity: sessions held at once',
  async run(context) {
    const target = context.quick ? 6 : 200;
    const probes = context.quick ? 3 : 20;
    const { docker } = context;
    // The server's defaults throughout (SANDBOX_DISK_OVERCOMMIT 40 included: disk admission counts
    // each instance's unused 10 GiB and its registry's 2 GiB at 1/40 against the free disk). The
    // full run uses a server of its own, so the figures start from an empty machine.
    const server = context.quick ? context.server : await context.startServer({});
    const api = context.quick ? context.api : new ApiClient(server.url);
    /** Sessions whose shell showed its prompt. */
    const alive: Array<{ id: string; terminal: TerminalClient }> = [];
    /** Every terminal opened, for closing (some may never have reached a prompt). */
    const terminals: TerminalClient[] = [];

    /** Exec round trips (`true`) and keystroke echoes on `count` of the sessions alive now. */
    async function responsiveness(count: number): Promise<{ exec: number[]; echo: number[] }> {
      const exec: number[] = [];
      const echo: number[] = [];
      for (let i = 0; i < count; i++) {
        const { id, terminal } = alive[Math.floor((i * alive.length) / count)]!;
        const started = now();
        await api.exec(id, 'node1', ['true'], 30_000);
        exec.push(now() - started);
        echo.push(await terminal.echo('x', 10_000));
      }
      return { exec, echo };
    }

    try {
      if (context.quick) await context.waitForWarmPool();
      await sleep(2_000);
      const availableBefore = await memAvailable();

      // The baseline: one session, one shell, on the same server.
      const first = await api.createSession();
      const firstTerminal = await TerminalClient.connect(api.terminalUrl(first.id));
      terminals.push(firstTerminal);
      await firstTerminal.waitForPrompt(90_000);
      alive.push({ id: first.id, terminal: firstTerminal });
      const alone = await responsiveness(probes);

      // Up to the target, CONCURRENCY at a time; each session gets its shell before it counts.
      const createStarted = now();
      let refused = '';
      while (alive.length < target && !refused) {
        const batch = Math.min(CONCURRENCY, target - alive.length);
        const made = await Promise.allSettled(
          Array.from({ length: batch }, async () => {
            const session = await api.createSession();
            const terminal = await TerminalClient.connect(api.terminalUrl(session.id));
            terminals.push(terminal);
            await terminal.waitForPrompt(180_000);
            alive.push({ id: session.id, terminal });
          }),
        );
        const failure = made.find((outcome) => outcome.status === 'rejected');
        if (failure) refused = (failure as PromiseRejectedResult).reason instanceof Error ? (failure as PromiseRejectedResult).reason.message : String((failure as PromiseRejectedResult).reason);
        if (alive.length % 20 === 0 || refused) context.log(`capacity: ${alive.length} sessions with a shell (${((now() - createStarted) / 1000).toFixed(0)} s)${refused ? `; stopped: ${refused}` : ''}`);
      }
      const held = alive.length;
      await sleep(context.quick ? 3_000 : 20_000); // let the nested daemons settle to idle
      const crowded = await responsiveness(probes);
      const availableAfter = await memAvailable();
      const perSession = (availableBefore - availableAfter) / held;
      const sample = alive.slice(0, Math.min(10, alive.length));
      const instanceMemory = await Promise.all(sample.map(({ id }) => containerMemory(docker, instanceContainerName(id))));
      const load = (await readFile('/proc/loadavg', 'utf8')).split(' ')[0];

      const figures: Figure[] = [
        {
          label: `one-instance sessions held at once, each with a shell (created ${CONCURRENCY} at a time on the default caps)`,
          measured: { kind: 'single', value: held, unit: 'sessions', detail: refused ? `stopped by: ${refused}` : `target reached in ${((now() - createStarted) / 1000).toFixed(0)} s; load average then ${load}` },
          targets: context.quick ? [] : [atLeast('at least 200', held, 200)],
        },
        {
          label: `exec round trip (POST .../exec true) at ${held} sessions (${probes} sessions probed)`,
          measured: ms(crowded.exec),
          baseline: { label: 'with one session alive', measured: ms(alone.exec) },
          targets: [atMost('median under 500 ms', median(crowded.exec), 500)],
        },
        {
          label: `keystroke echo through the terminal at ${held} sessions`,
          measured: ms(crowded.echo),
          baseline: { label: 'with one session alive', measured: ms(alone.echo) },
          targets: [atMost('median under 50 ms', median(crowded.echo), 50)],
        },
        {
          label: 'host memory per session (MemAvailable before minus after, over the sessions held)',
          measured: { kind: 'single', value: perSession / MiB, unit: 'MiB', detail: `${((availableBefore - availableAfter) / 1024 ** 3).toFixed(2)} GiB for ${held} sessions: sandbox, its registry, kernel and engine overhead` },
        },
        {
          label: `instance footprint (docker stats memory of ${sample.length} sandboxes at that density)`,
          measured: { kind: 'sample', summary: summarize(instanceMemory.map((value) => value / MiB)), unit: 'MiB', spread: 'min-max' },
        },
        {
          label: 'admission cap on this machine (MAX_TOTAL_INSTANCES default)',
          measured: { kind: 'single', value: defaultMaxTotalInstances(context.machine.memoryBytes), unit: 'instances', detail: '96 MiB budget each (twice the measured idle footprint) on 80% of memory' },
        },
      ];
      return {
        figures,
        notes: [
          `Every session is real: created through the API on ${context.quick ? 'the bench server' : 'a server of its own'} with all defaults (caps, warm pool, SANDBOX_DISK 10g with SANDBOX_DISK_OVERCOMMIT 40), its shell attached over the terminal WebSocket and its prompt seen. ${CONCURRENCY} are created at a time; the figures are read after ${context.quick ? 3 : 20} s of quiet.`,
          'The exec and echo probes are spread over the sessions alive; the baseline is the same probes on the same server while only the first session existed.',
          'Each session also has its own registry container (about 7 MiB, counted in the host memory figure): kept per session, since `docker push registry:5000/...` is a workshop exercise and its isolation is simplest that way.',
        ],
      };
    } finally {
      for (const terminal of terminals) terminal.close();
      await api.deleteAll();
    }
  },
};
