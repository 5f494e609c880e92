/**
 * Progress lines of `npm run cluster`: `[cluster  12.3s] what happens`. One line per event rather
 * than scripts/setup's step reporter, because the cluster's steps run side by side (three engines,
 * three image loads) and their lines interleave.
 */
import type { StepProgress } from '../setup/reporter';

export interface Output {
  write(text: string): unknown;
}

export class Progress {
  private readonly started: number;

  constructor(
    private readonly out: Output = process.stdout,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  line(text: string): void {
    this.out.write(`[cluster ${this.elapsed().padStart(6)}] ${text}\n`);
  }

  /** Seconds since the command started, e.g. `12.3s`. */
  elapsed(): string {
    return `${((this.now() - this.started) / 1000).toFixed(1)}s`;
  }

  /** The final line, unprefixed, so a script can take it with `tail -n 1`. */
  final(text: string): void {
    this.out.write(`${text}\n`);
  }

  /** For helpers of scripts/setup that report through a step. */
  asStepProgress(): StepProgress {
    return { line: (text) => this.line(text), feed: () => (raw) => this.line(raw) };
  }
}
