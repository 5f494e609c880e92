// 3. Output flood: `head -c 200M /dev/urandom | base64` in the terminal. Throughput to an acking
// WebSocket client and rendered by xterm.js in Chromium, latency beside the flood, the server's
// peak memory growth. Baseline: the same command's output read straight from `docker exec -t`.
import type Docker from 'dockerode';
import type { BenchContext, Benchmark } from './lib/context';
import { newBenchPage, pagePromptTime, pageType, pageWsBytes } from './lib/browser';
import { startEchoProbe, startExecProbe } from './lib/probes';
import { atLeast, atMost, type Figure, type Measured } from './lib/report';
import { openSession, type OpenSession } from './lib/session-terminal';
import { summarize } from './lib/stats';
import { now, withTimeout } from './lib/time';

const MB = 1e6;
/** Probes beside the floods: light, so they barely slow the flood they measure. */
const ECHO_PROBE = { gapMs: 50 };
const EXEC_PROBE = { gapMs: 250 };

function floodCommand(mebibytes: number): string {
  return `head -c ${mebibytes}M /dev/urandom | base64`;
}

/** Bytes the terminal shows for base64 of n MiB: 76 characters + CR LF per 57 input bytes. */
export function expectedFloodBytes(mebibytes: number): number {
  return Math.ceil((mebibytes * 1024 * 1024) / 57) * 78;
}

/** The command through a plain `docker exec -t`, read by this process to the end: MB/s. */
async function directExecRate(docker: Docker, container: string, command: string): Promise<number> {
  const started = now();
  const exec = await docker.getContainer(container).exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as NodeJS.ReadableStream;
  let bytes = 0;
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    }),
    300_000,
    'the direct docker exec flood',
  );
  return bytes / MB / ((now() - started) / 1000);
}

/** One flood in a terminal socket; resolves with MB/s once the prompt is back. */
async function socketFloodRate(open: OpenSession, mebibytes: number): Promise<number> {
  const terminal = open.terminal;
  const before = terminal.bytesReceived;
  const minBytes = expectedFloodBytes(mebibytes) * 0.9;
  const back = terminal.waitFor((_, atPrompt) => atPrompt && terminal.bytesReceived - before >= minBytes, 300_000, 'the prompt after the flood');
  const started = now();
  terminal.input(`${floodCommand(mebibytes)}\r`);
  const ended = await back;
  return (terminal.bytesReceived - before) / MB / ((ended - started) / 1000);
}

/** Peak RSS growth of the server while fn runs, in MB (VmHWM after minus VmRSS before). */
async function peakGrowth(context: BenchContext, fn: () => Promise<void>): Promise<{ growthMb: number; beforeMb: number; exact: boolean }> {
  const exact = await context.server.resetPeak();
  const before = await context.server.memory();
  await fn();
  const after = await context.server.memory();
  const base = exact ? before.rss : before.hwm;
  return { growthMb: Math.max(0, after.hwm - base) / MB, beforeMb: before.rss / MB, exact };
}

const ms = (values: number[], showP99 = true): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max', showP99 });
const rate = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'MB/s', spread: 'min-max' });

export const outputFlood: Benchmark = {
  name: 'output-flood',
  title: '3. Output flood',
  async run(context) {
    const mebibytes = context.quick ? 20 : 200;
    const runs = context.quick ? 2 : 3;
    const browserRuns = context.quick ? 1 : 3;
    const command = floodCommand(mebibytes);
    const [flood, quiet] = await Promise.all([openSession(context.api), openSession(context.api)]);
    try {
      await context.waitForWarmPool(); // the pool's refill would compete for the CPU
      // Baselines, on the same sandbox and an idle server.
      const direct: number[] = [];
      for (let i = 0; i < runs; i++) direct.push(await directExecRate(context.docker, flood.container, command));
      context.log(`output-flood: direct docker exec ${direct.map((value) => value.toFixed(0)).join(', ')} MB/s`);
      const idleEcho = await startEchoProbe(quiet.terminal, { maxCount: context.quick ? 30 : 100 }).done;
      const idleExec = await startExecProbe(context.api, flood.session.id, { maxCount: context.quick ? 3 : 10 }).done;

      // Floods to a WebSocket client that acks as the browser does, with probes beside them.
      const socketRates: number[] = [];
      const floodEcho: number[] = [];
      const floodExec: number[] = [];
      const execErrors: string[] = [];
      const socketMemory = await peakGrowth(context, async () => {
        for (let i = 0; i < runs; i++) {
          const echo = startEchoProbe(quiet.terminal, ECHO_PROBE);
          const exec = startExecProbe(context.api, flood.session.id, EXEC_PROBE);
          socketRates.push(await socketFloodRate(flood, mebibytes));
          floodEcho.push(...(await echo.stop()));
          floodExec.push(...(await exec.stop()));
          execErrors.push(...exec.errors);
          context.log(`output-flood: socket ${socketRates.at(-1)!.toFixed(1)} MB/s`);
        }
      });

      // The same in Chromium: the page is the only client of the flooding terminal.
      flood.terminal.close();
      const renderedRates: number[] = [];
      const renderedEcho: number[] = [];
      const page = await newBenchPage(await context.browser(), context.server.url);
      const browserMemory = await peakGrowth(context, async () => {
        try {
          await page.goto(`/s/${flood.session.id}`);
          await pagePromptTime(page, { timeoutMs: 60_000 });
          for (let i = 0; i < browserRuns; i++) {
            const echo = startEchoProbe(quiet.terminal, ECHO_PROBE);
            const before = await pageWsBytes(page);
            const started = await pageType(page, `${command}\r`);
            const ended = await pagePromptTime(page, { timeoutMs: 300_000, sinceBytes: before, minBytes: expectedFloodBytes(mebibytes) * 0.9 });
            const bytes = (await pageWsBytes(page)) - before;
            renderedRates.push(bytes / MB / ((ended - started) / 1000));
            renderedEcho.push(...(await echo.stop()));
            context.log(`output-flood: rendered ${renderedRates.at(-1)!.toFixed(1)} MB/s`);
          }
        } finally {
          await page.context().close();
        }
      });

      const directBaseline = { label: 'same command via docker exec -t read by Node (no web)', measured: rate(direct) };
      const memoryNote = socketMemory.exact ? 'VmHWM after minus VmRSS before (peak reset first)' : 'VmHWM after minus VmHWM before (the kernel refused a peak reset)';
      const figures: Figure[] = [
        {
          label: `to a WebSocket client that acks as a browser does (${mebibytes} MiB → base64)`,
          measured: rate(socketRates),
          baseline: directBaseline,
          targets: [atLeast('≥ 50 MB/s', summarize(socketRates).p50, 50)],
        },
        {
          label: 'rendered by xterm.js in Chromium (command → prompt back)',
          measured: rate(renderedRates),
          baseline: directBaseline,
          targets: [atLeast('≥ 15 MB/s', summarize(renderedRates).p50, 15)],
        },
        {
          label: 'echo in a second session’s terminal during the socket floods',
          measured: ms(floodEcho),
          baseline: { label: 'same terminal, no flood', measured: ms(idleEcho) },
          targets: [atMost('p99 under 100 ms', summarize(floodEcho).p99, 100)],
        },
        {
          label: 'echo in a second session’s terminal during the rendered floods',
          measured: ms(renderedEcho),
          baseline: { label: 'same terminal, no flood', measured: ms(idleEcho) },
          targets: [atMost('p99 under 100 ms', summarize(renderedEcho).p99, 100)],
        },
        {
          label: 'exec API round trip (`true`) in the flooding instance during the socket floods',
          measured: ms(floodExec),
          baseline: { label: 'same, no flood', measured: ms(idleExec) },
        },
        {
          label: 'server peak memory growth during the socket floods',
          measured: { kind: 'single', value: socketMemory.growthMb, unit: 'MB', detail: `RSS before ${socketMemory.beforeMb.toFixed(0)} MB; ${memoryNote}` },
          targets: [atMost('under 50 MB', socketMemory.growthMb, 50)],
        },
        {
          label: 'server peak memory growth during the rendered floods',
          measured: { kind: 'single', value: browserMemory.growthMb, unit: 'MB', detail: `RSS before ${browserMemory.beforeMb.toFixed(0)} MB` },
          targets: [atMost('under 50 MB', browserMemory.growthMb, 50)],
        },
      ];
      const notes: string[] = [];
      if (execErrors.length) {
        notes.push(`PROBLEM: ${execErrors.length} of ${floodExec.length} exec API calls of \`true\` during the floods answered 200 with a wrong exit code (${[...new Set(execErrors)].join('; ')}); their round trips are still counted.`);
      }
      return {
        figures,
        notes: [
          ...notes,
          `MB = 10^6 bytes, counted as the terminal output bytes that arrived between sending \`${command}\` and the prompt coming back (about ${(expectedFloodBytes(mebibytes) / MB).toFixed(0)} MB: base64 lines with CR LF). ${runs} floods to the socket client, ${browserRuns} in Chromium.`,
          'The WebSocket client acknowledges after processing each frame, coalesced like the browser client (one ack per 16 KiB or per event-loop turn). In Chromium the clock runs in the page, from typing the command (xterm input()) until the prompt is in the buffer at the cursor.',
          'Keystroke echo cannot be timed inside the flooding terminal (the echo drowns in the flood), so echo is measured in a second session’s terminal (one letter 50 ms after the previous echo, while the flood runs), and the exec API’s round trip of `true` is measured in the flooding instance itself (one every 250 ms). Both probes run during every flood above; they add a little load of their own.',
        ],
      };
    } finally {
      flood.terminal.close();
      quiet.terminal.close();
      await Promise.all([context.api.deleteSession(flood.session.id), context.api.deleteSession(quiet.session.id)]);
    }
  },
};
