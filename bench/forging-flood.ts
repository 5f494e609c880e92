// 6. Forging flood: keystroke echo in one session while a hostile client of another session floods
// its terminal (`cat /dev/urandom | base64`), does not read its socket, and sends made-up acks and
// pongs every 100 ms (issue 11). Baseline: the same echo with no flood, in the same run. Also the
// server's RSS before and after, which must not follow the flood.
import type { Benchmark } from './lib/context';
import { ForgingClient } from './lib/forging-client';
import { startEchoProbe } from './lib/probes';
import type { Measured } from './lib/report';
import { openSession } from './lib/session-terminal';
import { summarize } from './lib/stats';
import { sleep } from './lib/time';

const MiB = 1024 * 1024;
const FLOOD = 'cat /dev/urandom | base64';
/** The forged ack: far more than was ever sent, as in the issue. */
const FORGED_ACK_BYTES = 1e15;

const ms = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max', showP99: true });

export const forgingFlood: Benchmark = {
  name: 'forging-flood',
  title: '6. Forging flood',
  async run(context) {
    const windowMs = context.quick ? 5_000 : 30_000;
    const [quiet, abuser] = await Promise.all([openSession(context.api), openSession(context.api)]);
    abuser.terminal.close(); // the forger takes its place
    try {
      await context.waitForWarmPool(); // the pool's refill would compete for the CPU
      const idleEcho = await startEchoProbe(quiet.terminal, { maxCount: context.quick ? 30 : 200 }).done;

      const forger = await ForgingClient.connect(context.api.terminalUrl(abuser.session.id));
      const exactPeak = await context.server.resetPeak();
      const before = await context.server.memory();
      await forger.start(FLOOD, FORGED_ACK_BYTES);
      const echo = startEchoProbe(quiet.terminal, { gapMs: 50, maxMs: windowMs });
      await sleep(windowMs);
      const floodEcho = await echo.stop();
      const after = await context.server.memory();
      const closeCode = await forger.stop();
      context.log(`forging-flood: forger ${closeCode === null ? 'never closed by the server' : `closed by the server with ${closeCode}`}`);

      return {
        figures: [
          {
            label: 'keystroke echo of another session while a forging, non-reading client floods',
            measured: ms(floodEcho),
            baseline: { label: 'same terminal, no flood', measured: ms(idleEcho) },
          },
          {
            label: 'server RSS after the forging window',
            measured: {
              kind: 'single',
              value: after.rss / MiB,
              unit: 'MiB',
              detail: `before ${(before.rss / MiB).toFixed(0)} MiB, peak ${exactPeak ? 'during' : 'since start'} ${(after.hwm / MiB).toFixed(0)} MiB`,
            },
          },
        ],
        notes: [
          `The forger runs \`${FLOOD}\` in its own session's terminal, pauses its socket (reads nothing), and every 100 ms sends {"type":"ack","bytes":${FORGED_ACK_BYTES}} and a pong, for ${windowMs / 1000} s. Echo: one letter in a second session's terminal, 50 ms after the previous echo.`,
          `The server ${closeCode === null ? 'had not closed the forger’s socket by the end' : `closed the forger’s socket with ${closeCode}`} (the forger reads again after the window to see its close frame). The flood itself keeps running in the shell, with no socket attached.`,
        ],
      };
    } finally {
      quiet.terminal.close();
      await Promise.all([context.api.deleteSession(quiet.session.id), context.api.deleteSession(abuser.session.id)]);
    }
  },
};
