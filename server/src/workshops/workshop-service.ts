import { BadRequestError, PlaygroundError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { CheckResult, WorkshopProgressInfo, WorkshopSummary } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { SessionService } from '../sessions/session-service';
import type { WorkshopCatalog } from './workshop-catalog';
import type { Workshop, WorkshopStep } from './workshop-format';
import { WorkshopProgress } from './workshop-progress';

export class WorkshopNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'not_found';
}

const SNIPPET_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 120_000;

/** Workshops in sessions: list them, start a session's, run a step's setup and check. */
export class WorkshopService {
  constructor(
    private readonly catalog: WorkshopCatalog,
    private readonly sessions: SessionService,
    private readonly driver: SandboxDriver,
    private readonly logger: Logger,
  ) {}

  async list(): Promise<{ workshops: WorkshopSummary[]; problems: string[] }> {
    const { workshops, problems, notes } = await this.catalog.load();
    for (const problem of problems) this.logger.warn('workshop skipped', { problem });
    for (const note of notes) this.logger.info('workshop loaded without', { note });
    return {
      workshops: workshops.map(({ name, title, description, steps }) => ({ name, title, description, steps: steps.length })),
      problems,
    };
  }

  async get(name: string): Promise<Workshop> {
    const workshop = await this.catalog.find(name);
    if (!workshop) throw new WorkshopNotFoundError(`There is no workshop named "${name}".`);
    return workshop;
  }

  /**
   * Attaches a workshop to a new session: starts the other instances it asks for, then runs its
   * setup on node1, in the background (the page shows the instances as they come).
   */
  start(id: string, workshop: Workshop): void {
    const session = this.sessions.get(id);
    session.workshop = new WorkshopProgress(workshop.name, workshop.steps.length);
    void (async () => {
      try {
        await Promise.all(Array.from({ length: workshop.instances - 1 }, () => this.sessions.addInstance(id)));
        if (workshop.setup) await this.run(id, 'node1', workshop.setup);
      } catch (error) {
        this.logger.warn('workshop start failed', { session: sessionLogName(session.key), error: (error as Error).message });
      }
    })();
  }

  private progress(id: string): WorkshopProgress {
    const progress = this.sessions.get(id).workshop;
    if (!progress) throw new BadRequestError('This session has no workshop.');
    return progress;
  }

  private async step(id: string, number: number): Promise<WorkshopStep> {
    const { name } = this.progress(id);
    const step = (await this.get(name)).steps.find((candidate) => candidate.number === number);
    if (!step) throw new WorkshopNotFoundError(`The workshop ${name} has no step ${number}.`);
    return step;
  }

  private async run(id: string, instance: string, script: string) {
    const ready = await this.sessions.readyInstance(id, instance, READY_TIMEOUT_MS);
    return this.driver.exec(ready.containerId, ['sh', '-c', script], { timeoutMs: SNIPPET_TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
  }

  /**
   * Runs a step's check: passed when it exits 0 (recorded in the session's progress); otherwise its
   * output says what is missing.
   */
  async check(id: string, number: number): Promise<CheckResult> {
    const progress = this.progress(id);
    const step = await this.step(id, number);
    if (!step.check) return { passed: true, message: 'This step has no check.' };
    const outcome = await this.run(id, step.instance, step.check);
    const output = `${outcome.stdout}${outcome.stderr}`.trim();
    if (outcome.exitCode !== 0) return { passed: false, message: output || 'Not done yet.' };
    progress.pass(number);
    return { passed: true, message: output || 'Done.' };
  }

  /** The page reports the step it shows (another browser on the session opens there). */
  moveTo(id: string, current: unknown): WorkshopProgressInfo {
    const progress = this.progress(id);
    progress.moveTo(current);
    return progress.toInfo();
  }

  /** Runs a step's setup (files to create, a container to have running) when the step starts. */
  async setup(id: string, number: number): Promise<CheckResult> {
    const step = await this.step(id, number);
    if (!step.setup) return { passed: true, message: 'Nothing to set up.' };
    const outcome = await this.run(id, step.instance, step.setup);
    return { passed: outcome.exitCode === 0, message: `${outcome.stdout}${outcome.stderr}`.trim() };
  }
}
