import { BadRequestError } from '../errors';
import type { WorkshopProgressInfo } from '../protocol/api-types';

/**
 * How far a session has got in its workshop, kept with the session on the server so every browser
 * on the session (and a trainer) sees the same: the steps whose check passed, and the step the page
 * shows. Pure state; the workshop service records passes, the page reports its step.
 */
export class WorkshopProgress {
  /** 1-based: the step the page last reported. */
  #current = 1;
  readonly #passed = new Set<number>();

  /** `steps`: how many steps the workshop had when the session started it. */
  constructor(
    readonly name: string,
    readonly steps: number,
  ) {}

  /** Progress as saved with a session (toInfo() and the step count), for a resumed or forked one. */
  static restore(saved: WorkshopProgressInfo & { steps: number }): WorkshopProgress {
    const progress = new WorkshopProgress(saved.name, saved.steps);
    for (const step of saved.passed) if (Number.isInteger(step) && step >= 1 && step <= saved.steps) progress.pass(step);
    if (Number.isInteger(saved.current) && saved.current >= 1 && saved.current <= saved.steps) progress.#current = saved.current;
    return progress;
  }

  get current(): number {
    return this.#current;
  }

  /** Records that step's check passed. Recording it twice is harmless. */
  pass(step: number): void {
    this.#passed.add(step);
  }

  /** The page now shows `step`; a step the workshop does not have is a 400 (BadRequestError). */
  moveTo(step: unknown): void {
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > this.steps) {
      throw new BadRequestError(`"current" must be a step of the workshop ${this.name}: a whole number from 1 to ${this.steps}.`);
    }
    this.#current = step;
  }

  /** The API's view: passed steps ascending. */
  toInfo(): WorkshopProgressInfo {
    return { name: this.name, passed: [...this.#passed].sort((a, b) => a - b), current: this.#current };
  }
}
