import type { SlotReservation } from '../admission/reservation';
import { BusyError, SaveQuotaError, SavedNotFoundError, SavingUnavailableError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { SavedSessionInfo } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { Session } from '../sessions/session';
import type { SessionService } from '../sessions/session-service';
import { WorkshopProgress } from '../workshops/workshop-progress';
import { SavedStore, type SavedSession } from './saved-store';

/**
 * Save, resume and fork. Saving copies each running instance's disk (instance-disks.ts: its nested
 * Docker's images, containers and volumes, and every file it wrote) into the SavedStore with the
 * workshop progress; the session goes on. Starting from a saved session makes a new session whose
 * instances start from copies of those disks: the first start is the resume, any later one a fork,
 * until the saved session expires. Nothing of a saved session runs.
 */
export class SessionSaving {
  /** Sessions being saved now: one save at a time per session. */
  readonly #saving = new Set<string>();

  constructor(
    private readonly store: SavedStore,
    private readonly sessions: SessionService,
    private readonly driver: SandboxDriver,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.store.quotaBytes > 0;
  }

  async save(id: string): Promise<SavedSessionInfo> {
    const session = this.sessions.get(id);
    if (!this.enabled) throw new SavingUnavailableError('Saving sessions is turned off on this playground (SAVE_QUOTA=0).');
    if (this.#saving.has(session.key)) throw new BusyError('This session is being saved already: wait for that save to finish.', 5_000);
    this.#saving.add(session.key);
    try {
      return await this.#save(session);
    } finally {
      this.#saving.delete(session.key);
    }
  }

  async #save(session: Session): Promise<SavedSessionInfo> {
    const used = await this.store.usedBytes();
    if (used >= this.store.quotaBytes) throw this.#quotaError(used);
    const instances = [...session.instances.values()]
      .filter((instance) => instance.state === 'running' || instance.state === 'starting')
      .map((instance) => instance.name)
      .sort(byInstanceNumber);
    if (instances.length === 0) throw new SavingUnavailableError('This session has no running instance to save.');
    const { id, folder } = await this.store.begin();
    try {
      for (const name of instances) {
        const copied = await this.driver.copyInstanceDisk(session.key, name, this.store.imageOf(id, name));
        if (!copied) {
          throw new SavingUnavailableError('This playground keeps no instance disks (SANDBOX_DISK=0), so there is nothing to save a session into.');
        }
      }
      const workshop = session.workshop ? { ...session.workshop.toInfo(), steps: session.workshop.steps } : undefined;
      const saved = await this.store.commit({ id, instances, ...(workshop ? { workshop } : {}) });
      // The copy's size is known only once made (and other saves may have run meanwhile): over
      // the quota, it is not kept.
      const total = await this.store.usedBytes();
      if (total > this.store.quotaBytes) throw this.#quotaError(total - saved.bytes, saved.bytes);
      this.logger.info('session saved', { session: sessionLogName(session.key), instances: instances.length, bytes: saved.bytes });
      return infoOf(saved);
    } catch (error) {
      await this.store.remove(id).catch(() => {});
      this.logger.warn('session not saved', { session: sessionLogName(session.key), folder, error: (error as Error).message });
      throw error;
    }
  }

  async get(savedId: string): Promise<SavedSessionInfo> {
    return infoOf(await this.#find(savedId));
  }

  async remove(savedId: string): Promise<void> {
    await this.#find(savedId);
    await this.store.remove(savedId);
  }

  /**
   * Starts an admitted session from a saved one: its first instance now (seeded with its disk), the
   * others in the background, as a template's are. Returns the new session's id.
   */
  async start(savedId: string, reservation?: SlotReservation): Promise<string> {
    const saved = await this.#find(savedId);
    const [first, ...others] = saved.instances;
    const created = await this.sessions.create(reservation, { name: first!, seedDisk: this.store.imageOf(saved.id, first!) });
    if (saved.workshop) created.session.workshop = WorkshopProgress.restore(saved.workshop);
    for (const name of others) {
      void this.sessions.startSeededInstance(created.id, { name, seedDisk: this.store.imageOf(saved.id, name) }).catch((error: Error) =>
        this.logger.warn('a saved instance did not start', { session: sessionLogName(created.session.key), instance: name, error: error.message }),
      );
    }
    this.logger.info('session started from a saved one', { session: sessionLogName(created.session.key), instances: saved.instances.length });
    return created.id;
  }

  /** Removes saved sessions whose time is over. */
  async sweep(): Promise<void> {
    const removed = await this.store.sweep();
    if (removed > 0) this.logger.info('saved sessions expired', { removed });
  }

  async #find(savedId: string): Promise<SavedSession> {
    const saved = await this.store.get(savedId);
    if (!saved) throw new SavedNotFoundError();
    return saved;
  }

  #quotaError(used: number, adding = 0): SaveQuotaError {
    const what = adding > 0 ? `This save takes ${mib(adding)} and saved sessions already take ${mib(used)}` : `Saved sessions already take ${mib(used)}`;
    return new SaveQuotaError(`${what} of the ${mib(this.store.quotaBytes)} this playground keeps for them (SAVE_QUOTA): nothing was saved. Older saves free their space when they expire.`);
  }
}

function infoOf(saved: SavedSession): SavedSessionInfo {
  const { workshop, ...rest } = saved;
  return {
    ...rest,
    ...(workshop ? { workshop: { name: workshop.name, passed: workshop.passed, current: workshop.current } } : {}),
    link: `/?saved=${encodeURIComponent(saved.id)}`,
  };
}

/** node2 before node10. */
function byInstanceNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
