// 2. Keystroke echo: single keystrokes typed one at a time into the shell over the terminal
// WebSocket, each timed until its echo is back. Baseline: the same shell through
// `docker exec -it <container> /bin/bash -l` in a local pty (node-pty), no web.
import type { Benchmark } from './lib/context';
import { PtyShell } from './lib/pty-shell';
import { atMost, type Measured } from './lib/report';
import { openSession } from './lib/session-terminal';
import { summarize } from './lib/stats';
import { sleep } from './lib/time';

/** Keystrokes per block; the line is cleared (Ctrl-U) between blocks, so it never wraps. */
const BLOCK = 50;
/** Pause between keystrokes, as between a person's. */
const GAP_MS = 5;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export interface EchoTarget {
  echo(char: string, timeoutMs?: number): Promise<number>;
  input(data: string): void;
}

/** Types `count` letters one at a time (each after the previous one's echo); returns each echo's ms. */
export async function typeBlock(target: EchoTarget, count: number, gapMs = GAP_MS): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(await target.echo(LETTERS[i % LETTERS.length]!));
    if (gapMs) await sleep(gapMs);
  }
  target.input('\x15'); // Ctrl-U: clear the line
  await sleep(100);
  return times;
}

function sample(values: number[]): Measured {
  return { kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max', showP99: true };
}

export const keystrokeEcho: Benchmark = {
  name: 'keystroke-echo',
  title: '2. Keystroke echo',
  async run(context) {
    const keystrokes = context.quick ? 100 : 1_000;
    const open = await openSession(context.api);
    const pty = new PtyShell(open.container);
    try {
      await pty.waitForPrompt(30_000);
      await context.waitForWarmPool(); // the pool's refill would compete for the CPU
      const web: number[] = [];
      const local: number[] = [];
      // Alternating blocks, so both paths see the same moments of a noisy machine.
      for (let done = 0; done < keystrokes; done += BLOCK) {
        const count = Math.min(BLOCK, keystrokes - done);
        web.push(...(await typeBlock(open.terminal, count)));
        local.push(...(await typeBlock(pty, count)));
      }
      context.log(`keystroke-echo: ${web.length} over the WebSocket, ${local.length} through docker exec`);
      const webSummary = summarize(web);
      const localSummary = summarize(local);
      return {
        figures: [
          {
            label: `echo over the terminal WebSocket (${keystrokes} keystrokes)`,
            measured: sample(web),
            baseline: { label: 'docker exec -it in a local pty', measured: sample(local) },
            targets: [
              atMost(`p50 within 1.5x baseline (≤ ${(localSummary.p50 * 1.5).toFixed(2)} ms)`, webSummary.p50, localSummary.p50 * 1.5),
              atMost('p50 under 5 ms', webSummary.p50, 5),
              atMost('p99 under 20 ms', webSummary.p99, 20),
            ],
          },
        ],
        notes: [
          `Each keystroke is one {"type":"input"} message with one letter, sent after the previous echo came back and a ${GAP_MS} ms pause; the time is until an output frame carrying that letter arrives. Blocks of ${BLOCK} alternate between the WebSocket and the pty; Ctrl-U clears the line between blocks.`,
          'Both paths run the same login shell in the same sandbox; the baseline is the Docker CLI attached to a pty on this machine (docker exec -it), the same engine API the server uses, without the server and the WebSocket.',
        ],
      };
    } finally {
      pty.close();
      open.terminal.close();
      await context.api.deleteSession(open.session.id);
    }
  },
};
