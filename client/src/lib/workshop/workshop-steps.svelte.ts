// The workshop beside the terminals, as state: the workshop's text, the step shown, the steps
// passed, the last check's answer. The step shown is reported to the server and passes are recorded
// there by the check itself, so another browser on the session opens where this one is.
import type { CheckResult, WorkshopProgressInfo } from '../../../../server/src/protocol/api-types';
import type { Workshop } from '../../../../server/src/workshops/workshop-format';
import { passedSteps, startingStep } from './progress';
import { checkStep, getWorkshop, reportStep, setupStep } from './workshop-api';

export class WorkshopSteps {
  workshop = $state<Workshop | null>(null);
  error = $state<string | null>(null);
  /** 1-based: the step on screen. */
  current = $state(1);
  result = $state<CheckResult | null>(null);
  checking = $state(false);
  /** The learner asked to see this step's solution (hidden again on another step). */
  solutionShown = $state(false);
  /** Steps whose check passed in this page (the server's list catches up at the next poll). */
  #passedHere = $state<number[]>([]);

  readonly #sessionId: string;
  readonly #name: string;
  /** The session's progress as last read from the server (each poll brings a new one). */
  readonly #onServer: () => WorkshopProgressInfo | undefined;
  /** Types commands into an instance's terminal (a step's foreground script). */
  readonly #type: (instance: string, code: string) => Promise<boolean>;
  /** Reports of the step shown, one after another, so the server ends with the last. */
  #reporting: Promise<unknown> = Promise.resolve();

  step = $derived(this.workshop?.steps[this.current - 1]);

  constructor(sessionId: string, name: string, onServer: () => WorkshopProgressInfo | undefined, type: (instance: string, code: string) => Promise<boolean> = async () => false) {
    this.#sessionId = sessionId;
    this.#name = name;
    this.#onServer = onServer;
    this.#type = type;
  }

  /** Steps passed: the server's list joined with those checked here since it was read. */
  get passed(): number[] {
    return passedSteps(this.#onServer()?.passed, this.#passedHere);
  }

  /** Loads the workshop and opens it at the step the server knows; stops when `signal` aborts. */
  async load(signal: AbortSignal): Promise<void> {
    try {
      const loaded = await getWorkshop(this.#name, signal);
      if (signal.aborted) return;
      this.current = startingStep(this.#onServer()?.current, loaded.steps.length);
      this.workshop = loaded;
      await this.#enterStep();
    } catch (failure) {
      if (!signal.aborted) this.error = (failure as Error).message;
    }
  }

  async check(): Promise<void> {
    const number = this.current;
    this.checking = true;
    try {
      const result = await checkStep(this.#sessionId, number);
      if (number !== this.current) return; // the person moved on meanwhile
      this.result = result;
      if (result.passed && !this.#passedHere.includes(number)) this.#passedHere = [...this.#passedHere, number];
    } catch (failure) {
      this.result = { passed: false, message: (failure as Error).message };
    } finally {
      this.checking = false;
    }
  }

  go(delta: number): void {
    if (!this.workshop) return;
    const next = Math.min(this.workshop.steps.length, Math.max(1, this.current + delta));
    if (next === this.current) return;
    this.current = next;
    this.result = null;
    this.solutionShown = false;
    // Best effort: a lost report only means another browser opens at an earlier step.
    this.#reporting = this.#reporting.then(() => reportStep(this.#sessionId, next)).catch(() => undefined);
    void this.#enterStep();
  }

  /** A step opened: its setup (a background script starts), then its foreground typed in. */
  async #enterStep(): Promise<void> {
    await this.#runSetup();
    await this.#typeForeground();
  }

  /** Typed once per step in this tab: a reload (or coming back to the step) does not type it again. */
  async #typeForeground(): Promise<void> {
    const number = this.current;
    const step = this.step;
    if (!step?.foreground) return;
    const key = `playground-foreground:${this.#sessionId}:${number}`;
    try {
      if (sessionStorage.getItem(key)) return;
      sessionStorage.setItem(key, '1');
    } catch {
      // No storage (private mode): typed each time the step opens, which is still what it asks.
    }
    await this.#type(step.instance, step.foreground);
  }

  async #runSetup(): Promise<void> {
    const number = this.current;
    if (!this.step?.setup) return;
    const outcome = await setupStep(this.#sessionId, number).catch((failure: Error) => ({ passed: false, message: failure.message }));
    if (!outcome.passed && number === this.current) this.result = { passed: false, message: `This step's setup failed: ${outcome.message}` };
  }
}
