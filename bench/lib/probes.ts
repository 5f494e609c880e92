// Latency probes that run beside a load until told to stop (bounded in count and time).
import type { ApiClient } from './api-client';
import type { TerminalClient } from './terminal-client';
import { now, sleep } from './time';

export interface Probe {
  /** Answers that were wrong (an exec that did not exit 0), as messages; the probe goes on. */
  errors: string[];
  /** Resolves with what it measured once it stopped by itself (maxCount or maxMs reached). */
  done: Promise<number[]>;
  /** Asks the probe to stop and resolves with what it measured. */
  stop(): Promise<number[]>;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Types letters one at a time into an otherwise quiet terminal, timing each echo, every gapMs,
 * until stopped or maxCount (clears the line with Ctrl-U every 50 letters).
 */
export function startEchoProbe(terminal: TerminalClient, options: { gapMs?: number; maxCount?: number; maxMs?: number } = {}): Probe {
  const { gapMs = 20, maxCount = 5_000, maxMs = 600_000 } = options;
  let stopping = false;
  const times: number[] = [];
  const errors: string[] = [];
  const deadline = now() + maxMs;
  const done = (async () => {
    while (!stopping && times.length < maxCount && now() < deadline) {
      times.push(await terminal.echo(LETTERS[times.length % LETTERS.length]!, 30_000));
      if (times.length % 50 === 0) terminal.input('\x15');
      await sleep(gapMs);
    }
    terminal.input('\x15');
    return times;
  })();
  done.catch(() => {}); // reported to whoever awaits done or stop()
  return {
    errors,
    done,
    stop: () => {
      stopping = true;
      return done;
    },
  };
}

/** Runs `true` through the exec API, one after another (gapMs apart), timing each round trip. */
export function startExecProbe(api: ApiClient, sessionId: string, options: { gapMs?: number; maxCount?: number; maxMs?: number } = {}): Probe {
  const { gapMs = 50, maxCount = 1_000, maxMs = 600_000 } = options;
  let stopping = false;
  const times: number[] = [];
  const errors: string[] = [];
  const deadline = now() + maxMs;
  const done = (async () => {
    while (!stopping && times.length < maxCount && now() < deadline) {
      const started = now();
      const result = await api.exec(sessionId, 'node1', ['true'], 30_000);
      times.push(now() - started);
      if (result.exitCode !== 0) errors.push(`exitCode ${result.exitCode}${result.stderr ? `: ${result.stderr.trim()}` : ''}`);
      await sleep(gapMs);
    }
    return times;
  })();
  done.catch(() => {}); // reported to whoever awaits done or stop()
  return {
    errors,
    done,
    stop: () => {
      stopping = true;
      return done;
    },
  };
}
