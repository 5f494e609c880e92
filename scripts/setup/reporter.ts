import { createCondenser, shorten, type Classifier } from './condense';
import { errorMessage, SetupError } from './errors';

/** Where progress goes (process.stdout by default). */
export interface Output {
  write(text: string): unknown;
}

/** What a step reports back: it did work, or found everything already in place. */
export type StepResult = 'done' | 'up to date' | { readonly note: string };

/** Sub-progress of the running step. */
export interface StepProgress {
  /** Print one indented line under the step. */
  line(text: string): void;
  /** A condensed feed for a tool's raw output lines (see condense.ts). */
  feed(classify: Classifier): (line: string) => void;
}

/**
 * Prints `[setup 3/8] Building sandbox image playground-sandbox:ab12cd34ef56 ... ` and then, on the
 * same line, `up to date` / `done in 41.2s`, or, when sub-progress lines came in between, a closing
 * `[setup 3/8] done in 41.2s` line. While a step runs silently for long, a "still working" line
 * appears every `heartbeatMs`.
 */
export class Reporter {
  private index = 0;
  private lineOpen = false;

  constructor(
    private readonly out: Output,
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
    private readonly heartbeatMs = 15_000,
  ) {}

  async step(title: string, fn: (progress: StepProgress) => Promise<StepResult>): Promise<void> {
    this.index += 1;
    const tag = `[setup ${this.index}/${this.total}]`;
    const started = this.now();
    let printedSub = false;
    let lastOutput = started;
    this.out.write(`${tag} ${title} ... `);
    this.lineOpen = true;

    const line = (text: string) => {
      if (this.lineOpen) {
        this.out.write('\n');
        this.lineOpen = false;
      }
      this.out.write(`    ${shorten(text)}\n`);
      printedSub = true;
      lastOutput = this.now();
    };
    const progress: StepProgress = {
      line,
      feed: (classify) => {
        const c = createCondenser(classify);
        return (raw) => {
          for (const l of c.push(raw, this.now())) line(l);
        };
      },
    };
    const heartbeat = setInterval(() => {
      if (this.now() - lastOutput >= this.heartbeatMs) line(`... still working (${seconds(this.now() - started)})`);
    }, 1000);
    heartbeat.unref();

    try {
      const result = await fn(progress);
      const text = result === 'done' ? `done in ${seconds(this.now() - started)}` : result === 'up to date' ? 'up to date' : result.note;
      this.out.write(printedSub || !this.lineOpen ? `${tag} ${text}\n` : `${text}\n`);
      this.lineOpen = false;
    } catch (err) {
      const tail = err instanceof SetupError ? err.tail : [];
      if (this.lineOpen) this.out.write('\n');
      this.lineOpen = false;
      this.out.write(`${tag} FAILED after ${seconds(this.now() - started)}: ${title}\n`);
      this.out.write(`    ${shorten(stripAnsi(errorMessage(err)), 400)}\n`);
      if (tail.length > 0) {
        this.out.write('    --- last lines of output ---\n');
        for (const l of tail) this.out.write(`    | ${shorten(stripAnsi(l), 200)}\n`);
      }
      throw new StepFailedError(`${title}: ${errorMessage(err)}`, tail, { cause: err });
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/** A step failed and the reporter has already printed why. */
export class StepFailedError extends SetupError {
  readonly reported = true;
}

/** Removes terminal colour and cursor escapes (apt and BuildKit colour their errors). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
