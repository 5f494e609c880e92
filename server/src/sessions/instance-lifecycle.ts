import type { SlotReservation } from '../admission/reservation';
import type { Clock } from '../clock';
import { InstanceLimitError, InstanceNotReadyError, SessionNotFoundError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { AdoptableSession } from '../reaper/expiry-policy';
import type { SandboxDriver } from '../sandbox/driver';
import { nextInstanceName } from './instance-names';
import type { Instance, Session } from './session';

/** An instance that starts from a saved disk image (a resumed or forked session). */
export interface SeededInstance {
  name: string;
  seedDisk: string;
}

/** Told of an instance's name before its resources go, or before it restarts (its terminals close first). */
export type InstanceListener = (key: string, name: string) => void;

export interface InstanceLifecycleOptions {
  driver: SandboxDriver;
  clock: Clock;
  logger: Logger;
  readyTimeoutMs: number;
  maxInstances: number;
  /** The close in progress of a session, if any: a sandbox finished after it began waits for it. */
  closingOf: (key: string) => Promise<void> | undefined;
}

/**
 * An instance's life inside its session: started (a free name, the sandbox, readiness followed),
 * restarted, removed. Owns what is in flight, so that two adds never pick one name, a close waits
 * for sandboxes still being made, and an add after a delete waits for the old disk to go.
 */
export class InstanceLifecycle {
  /** Names being started, per session key. */
  private readonly startingNames = new Map<string, Set<string>>();
  /** Sandboxes being created, per session key. */
  private readonly starting = new Map<string, Set<Promise<unknown>>>();
  /** Removals in progress, by `${session key}/${instance name}`. */
  private readonly removing = new Map<string, Promise<void>>();
  /** Each instance's restart in progress: a second restart joins it rather than restarting twice. */
  private readonly restarts = new WeakMap<Instance, Promise<Instance>>();
  private readonly removedListeners: InstanceListener[] = [];
  private readonly restartingListeners: InstanceListener[] = [];

  constructor(private readonly options: InstanceLifecycleOptions) {}

  onRemoved(listener: InstanceListener): void {
    this.removedListeners.push(listener);
  }

  onRestarting(listener: InstanceListener): void {
    this.restartingListeners.push(listener);
  }

  /** Sandboxes of the session still being made (a close waits for them: they must exist to be removed). */
  inFlight(key: string): Promise<unknown>[] {
    return [...(this.starting.get(key) ?? [])];
  }

  /**
   * Adds the next instance (the lowest free nodeN). Throws InstanceLimitError at the most allowed.
   * `slot` is admission's, settled whether it starts or not.
   */
  async add(session: Session, slot: SlotReservation | undefined, seeded?: SeededInstance): Promise<Instance> {
    const max = this.options.maxInstances;
    const starting = this.startingNames.get(session.key) ?? new Set<string>();
    // A seeded instance (a resumed session's) keeps its name; named while it starts, so an instance
    // added meanwhile takes another.
    const name = seeded?.name ?? nextInstanceName([...session.instances.keys(), ...starting], max);
    if (!name) {
      slot?.instanceSettled();
      throw new InstanceLimitError(max);
    }
    starting.add(name);
    this.startingNames.set(session.key, starting);
    try {
      await this.removing.get(`${session.key}/${name}`)?.catch(() => {});
      return await this.start(session, name, slot, seeded?.seedDisk);
    } catch (error) {
      slot?.instanceSettled(); // it will not start: the slot is free again
      throw error;
    } finally {
      starting.delete(name);
      if (starting.size === 0) this.startingNames.delete(session.key);
    }
  }

  /**
   * Starts the sandbox of a named instance; resolves once it runs (its Docker may still start).
   * `seedDisk`: a saved disk image it starts from.
   */
  async start(session: Session, name: string, slot?: SlotReservation, seedDisk?: string): Promise<Instance> {
    const { driver, logger } = this.options;
    const closed = () => session.lifecycle === 'closing' || session.lifecycle === 'gone';
    if (closed()) throw new SessionNotFoundError();
    const starting = driver.startInstance({
      sessionKey: session.key,
      name,
      expiresAt: session.expiresAt,
      createdAt: session.createdAt,
      ...(seedDisk ? { seedDisk } : {}),
    });
    const inFlight = this.starting.get(session.key) ?? new Set<Promise<unknown>>();
    inFlight.add(starting);
    this.starting.set(session.key, inFlight);
    let started: Awaited<typeof starting>;
    try {
      started = await starting;
    } finally {
      inFlight.delete(starting);
      if (inFlight.size === 0) this.starting.delete(session.key);
    }
    if (closed()) {
      // Closed while the sandbox was being made. A close that began before it did waits for it;
      // one that finished first missed it, so it is removed here, with anything else left.
      await this.options.closingOf(session.key)?.catch(() => {});
      await driver.removeSession(session.key).catch((error: Error) =>
        logger.error('could not remove a sandbox made as its session closed', { session: sessionLogName(session.key), error: error.message }),
      );
      throw new SessionNotFoundError();
    }
    const ready = driver.waitUntilReady(started.containerId, this.options.readyTimeoutMs);
    const instance: Instance = { name, containerId: started.containerId, ip: started.ip, state: 'starting', ready };
    this.track(session, instance, ready);
    session.instances.set(name, instance);
    slot?.instanceSettled(); // counted as live from here
    logger.info('instance started', {
      session: sessionLogName(session.key),
      instance: name,
      container: started.containerId.slice(0, 12),
    });
    return instance;
  }

  /** The instances of a session found on the engine at start-up, readiness followed again. */
  adopt(session: Session, found: AdoptableSession['instances']): void {
    for (const { name, containerId, ip } of found) {
      const ready = this.options.driver.waitUntilReady(containerId, this.options.readyTimeoutMs);
      const instance: Instance = { name, containerId, ip, state: 'starting', ready };
      session.instances.set(name, instance);
      ready.then(
        () => (instance.state = 'running'),
        () => (instance.state = 'stopped'),
      );
    }
  }

  /**
   * Restarts an instance: its terminals close (clients reconnect), Docker inside starts again with
   * its images and containers kept, and `ready` follows the new start. A restart asked for while
   * one runs joins it (two clicks, two tabs): the sandbox restarts once.
   */
  restart(session: Session, instance: Instance): Promise<Instance> {
    const running = this.restarts.get(instance);
    if (running) return running;
    const restart = this.restartOnce(session, instance).finally(() => this.restarts.delete(instance));
    this.restarts.set(instance, restart);
    return restart;
  }

  private async restartOnce(session: Session, instance: Instance): Promise<Instance> {
    for (const listener of this.restartingListeners) listener(session.key, instance.name);
    instance.state = 'starting';
    const since = this.options.clock.now();
    const restarting = this.options.driver.restartInstance(instance.containerId, session.key);
    instance.restarting = restarting;
    let ip: string;
    try {
      ({ ip } = await restarting);
    } finally {
      if (instance.restarting === restarting) instance.restarting = undefined;
    }
    if (ip) instance.ip = ip;
    instance.lastStats = undefined;
    this.track(session, instance, this.options.driver.waitUntilReady(instance.containerId, this.options.readyTimeoutMs, since));
    return instance;
  }

  /** Deletes one instance with its Docker data; its terminals are closed first. */
  async remove(session: Session, name: string): Promise<void> {
    for (const listener of this.removedListeners) listener(session.key, name);
    session.instances.delete(name);
    // An instance added meanwhile under the same name (Add instance right after deleting the last
    // one) waits for this: its disk has the same name and must be gone first.
    const removal = this.options.driver.removeInstance(session.key, name);
    const key = `${session.key}/${name}`;
    this.removing.set(key, removal);
    try {
      await removal;
    } finally {
      if (this.removing.get(key) === removal) this.removing.delete(key);
    }
    this.options.logger.info('instance removed', { session: sessionLogName(session.key), instance: name });
  }

  /** The instance, once its Docker answers (InstanceNotReadyError if not within timeoutMs). */
  async whenReady(instance: Instance, timeoutMs: number): Promise<Instance> {
    await waitWithin(instance.ready, timeoutMs).catch((error: Error) => {
      throw new InstanceNotReadyError(`Instance "${instance.name}" is not ready: ${error.message}`);
    });
    return instance;
  }

  /** Follows an instance's readiness: running when Docker inside answers, stopped when it will not. */
  private track(session: Session, instance: Instance, ready: Promise<void>): void {
    instance.ready = ready;
    ready.then(
      () => {
        if (instance.ready === ready) instance.state = 'running';
      },
      (error: Error) => {
        if (instance.ready !== ready) return;
        instance.state = 'stopped';
        if (session.lifecycle === 'starting' || session.lifecycle === 'running') {
          this.options.logger.warn('instance did not become ready', {
            session: sessionLogName(session.key),
            instance: instance.name,
            error: error.message,
          });
        }
      },
    );
  }
}

function waitWithin(promise: Promise<void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still starting after ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
