import { ConcurrencyCap } from '../admission/concurrency-cap';
import type { SlotReservation } from '../admission/reservation';
import type { Clock } from '../clock';
import { BusyError, ExtendLimitError, InstanceLimitError, InstanceNotFoundError, InstanceNotReadyError, PlaygroundError, RemovalIncompleteError, SessionNotFoundError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { ExecRequest, ExecResult, InstanceStats, SessionInfo } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import { isExpired } from '../reaper/expiry-policy';
import type { AdoptableSession } from '../reaper/expiry-policy';
import { randomBytes } from 'node:crypto';
import { ExpiryStore } from './expiry-store';
import { validateExecRequest } from './exec-request';
import { StatsSharing } from './stats-sharing';
import { RegistryPasswords } from './registry-credentials';
import { Session, type Instance } from './session';
import type { WarmPool, WarmSlot } from './warm-pool';
import { assembleSwarm } from '../templates/swarm-assembler';
import type { SwarmTemplate } from '../templates/templates';
import { nextInstanceName } from './instance-names';
import { isWellFormedSessionId, newSessionId, sessionKey } from './session-key';

export type EndReason = 'closed' | 'expired';
export type SessionEndedListener = (key: string, reason: EndReason) => void;

export interface SessionServiceOptions {
  driver: SandboxDriver;
  /** Ready sandboxes to hand out; without one (or when it is empty) sessions start cold. */
  pool?: WarmPool;
  clock: Clock;
  logger: Logger;
  sessionTtlMs: number;
  readyTimeoutMs: number;
  execMaxOutputBytes: number;
  /** Instances one session may have at once (MAX_INSTANCES). */
  maxInstances?: number;
  /** Session registry passwords (from the server's secret); default: a secret of this process only. */
  registryPasswords?: RegistryPasswords;
  /** Where each session's real expiry is kept across restarts; default: memory only. */
  expiries?: ExpiryStore;
  /**
   * Extending a session: each POST .../extend adds stepMs (SESSION_EXTEND), never past maxTtlMs
   * after it began (SESSION_MAX_TTL); the page warns warnBeforeMs before the end (SESSION_WARNING).
   * Default: no extension (maxTtlMs = sessionTtlMs), no warning.
   */
  extension?: { stepMs: number; maxTtlMs: number; warnBeforeMs: number };
}

/** Called before an instance's resources are removed (its terminals close first). */
export type InstanceRemovedListener = (key: string, name: string) => void;

/** Exec API calls running at once per session: enough for scripts and checks, not for a flood. */
export const MAX_EXECS_PER_SESSION = 4;
export const DEFAULT_MAX_INSTANCES = 5;

/** The use cases of sessions: create, look up, run a command, close. Owns the in-memory registry. */
export class SessionService {
  private readonly sessions = new Map<string, Session>();
  private readonly closing = new Map<string, Promise<void>>();
  private readonly endedListeners: SessionEndedListener[] = [];
  private readonly instanceRemovedListeners: InstanceRemovedListener[] = [];
  private readonly instanceRestartListeners: InstanceRemovedListener[] = [];
  /** Names being started, per session key: two adds at once never pick the same name. */
  private readonly startingNames = new Map<string, Set<string>>();
  /** Sandboxes being created, per session key: a close waits for them, so none outlives its session. */
  private readonly starting = new Map<string, Set<Promise<unknown>>>();
  /** Removals in progress, by `${session key}/${instance name}`. */
  private readonly removing = new Map<string, Promise<void>>();
  /** Admission slots a new session holds for the instances its template or workshop adds in the background. */
  private readonly heldSlots = new Map<string, SlotReservation>();
  private readonly execs = new ConcurrencyCap(MAX_EXECS_PER_SESSION);
  /** Each instance's restart in progress: a second restart joins it rather than restarting twice. */
  private readonly restarts = new WeakMap<Instance, Promise<Instance>>();

  private readonly registryPasswords: RegistryPasswords;
  private readonly expiries: ExpiryStore;
  private readonly sharedStats: StatsSharing;

  constructor(private readonly options: SessionServiceOptions) {
    this.registryPasswords = options.registryPasswords ?? new RegistryPasswords(randomBytes(32));
    this.expiries = options.expiries ?? ExpiryStore.inMemory();
    this.sharedStats = new StatsSharing(options.driver, options.clock);
  }

  /** A new or adopted session's limits: how far it may be extended and when the page warns. */
  private applyLimits(session: Session): void {
    const extension = this.options.extension;
    const maxTtlMs = Math.max(extension?.maxTtlMs ?? 0, this.options.sessionTtlMs);
    session.maxExpiresAt = new Date(Math.max(session.expiresAt.getTime(), session.createdAt.getTime() + maxTtlMs));
    // Never more than half the session: a short one still has time before the warning.
    session.warnBeforeMs = Math.min(extension?.warnBeforeMs ?? 0, this.options.sessionTtlMs / 2);
  }

  /** A session's expiry as saved (extended, or from the warm pool), if it differs from its labels. */
  savedExpiry(key: string): Date | undefined {
    return this.expiries.get(key)?.expiresAt;
  }

  /**
   * Whether the session was still being made, or made but its id not yet handed to anyone, when the
   * last server stopped: nobody can reach it, so the start-up sweep removes it.
   */
  wasUnanswered(key: string): boolean {
    return this.expiries.get(key)?.unanswered === true;
  }

  /**
   * The session's id is about to reach its requester (the answer to POST /api/sessions, or a poll of
   * the waiting room): from now on a restarted server adopts it. Awaited before answering, so a kill
   * can at worst leave a session nobody got (removed at the next start), never remove one somebody has.
   */
  async handedOver(id: string): Promise<void> {
    await this.expiries.markAnswered(sessionKey(id)).catch((error: Error) => this.options.logger.warn('session hand-over not saved', { error: error.message }));
  }

  /** Forgets saved expiries of sessions that are gone (ended while the server was down). */
  async forgetEndedExpiries(): Promise<void> {
    await this.expiries.retainOnly(new Set(this.sessions.keys()));
  }

  /**
   * Moves the session's end later by SESSION_EXTEND, up to SESSION_MAX_TTL after it began (then
   * ExtendLimitError). The new end is kept on disk, so a restarted server keeps it.
   */
  async extend(id: string): Promise<Session> {
    const session = this.get(id);
    const stepMs = this.options.extension?.stepMs ?? 0;
    const next = new Date(Math.min(session.expiresAt.getTime() + stepMs, session.maxExpiresAt.getTime()));
    if (next.getTime() <= session.expiresAt.getTime()) throw new ExtendLimitError(session.maxExpiresAt);
    session.expiresAt = next;
    await this.expiries.set(session.key, { expiresAt: next, maxExpiresAt: session.maxExpiresAt });
    this.options.logger.info('session extended', { session: sessionLogName(session.key), expiresAt: next.toISOString() });
    return session;
  }

  /** Called before a session's resources are removed (terminals close their sockets first). */
  onSessionEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** Where the numbers of an instance's open shells come from (the terminal registry, wired in main). */
  terminalNumbers: (key: string, instance: string) => number[] = () => [];

  /** The session as the API shows it. */
  info(id: string): SessionInfo {
    const session = this.get(id);
    return session.toInfo(id, (name) => this.terminalNumbers(session.key, name));
  }

  /** Instances one session may have (MAX_INSTANCES). */
  get maxInstances(): number {
    return this.options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  }

  /** How long a new session lives (SESSION_TTL). */
  get sessionTtlMs(): number {
    return this.options.sessionTtlMs;
  }

  onInstanceRemoved(listener: InstanceRemovedListener): void {
    this.instanceRemovedListeners.push(listener);
  }

  /**
   * Adds the next instance (the lowest free nodeN) to a session, on its private network. Throws
   * InstanceLimitError at MAX_INSTANCES. Resolves once the sandbox runs (its Docker may still start).
   * `reservation` is admission's slot for it; without one, a slot the session holds from its
   * creation (a template's or workshop's further nodes) is used when there is one.
   */
  async addInstance(id: string, reservation?: SlotReservation): Promise<Instance> {
    const session = this.get(id);
    const slot = reservation ?? this.heldSlot(session.key);
    const max = this.options.maxInstances ?? DEFAULT_MAX_INSTANCES;
    const starting = this.startingNames.get(session.key) ?? new Set<string>();
    const name = nextInstanceName([...session.instances.keys(), ...starting], max);
    if (!name) {
      slot?.instanceSettled();
      throw new InstanceLimitError(max);
    }
    starting.add(name);
    this.startingNames.set(session.key, starting);
    try {
      await this.removing.get(`${session.key}/${name}`)?.catch(() => {});
      return await this.startInstance(session, name, slot);
    } catch (error) {
      slot?.instanceSettled(); // it will not start: the slot is free again
      throw error;
    } finally {
      starting.delete(name);
      if (starting.size === 0) this.startingNames.delete(session.key);
    }
  }

  /** The slots a session holds from its creation, if any are left (each add settles one). */
  private heldSlot(key: string): SlotReservation | undefined {
    const held = this.heldSlots.get(key);
    if (held && held.instancesHeld > 0) return held;
    this.heldSlots.delete(key);
    return undefined;
  }

  /**
   * Starts assembling a template (a swarm) in a new session, in the background: the session's
   * `template` says how far it got (the caller checked it fits MAX_INSTANCES).
   */
  startTemplate(id: string, template: SwarmTemplate): void {
    const session = this.get(id);
    void assembleSwarm(session, template, {
      driver: this.options.driver,
      logger: this.options.logger,
      addInstance: () => this.addInstance(id),
    });
  }

  /**
   * Live CPU and memory of an instance (CPU since the previous sample). However many pages watch an
   * instance, the engine is asked once (stats-sharing.ts).
   */
  async stats(id: string, name: string): Promise<InstanceStats> {
    const { instance } = this.instance(id, name);
    return this.sharedStats.of(instance);
  }

  /**
   * Restarts an instance: its terminals close (clients reconnect), Docker inside starts again with
   * its images and containers kept, and `ready` follows the new start. A restart asked for while
   * one runs joins it (two clicks, two tabs): the sandbox restarts once.
   */
  async restartInstance(id: string, name: string): Promise<Instance> {
    const { session, instance } = this.instance(id, name);
    const running = this.restarts.get(instance);
    if (running) return running;
    const restart = this.restart(session, instance).finally(() => this.restarts.delete(instance));
    this.restarts.set(instance, restart);
    return restart;
  }

  private async restart(session: Session, instance: Instance): Promise<Instance> {
    const { name } = instance;
    for (const listener of this.instanceRestartListeners) listener(session.key, name);
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

  onInstanceRestarting(listener: InstanceRemovedListener): void {
    this.instanceRestartListeners.push(listener);
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

  /** Deletes one instance with its Docker data; its terminals are closed first. */
  async removeInstance(id: string, name: string): Promise<void> {
    const { session } = this.instance(id, name);
    for (const listener of this.instanceRemovedListeners) listener(session.key, name);
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

  /**
   * Creates a session with one instance, node1: from the warm pool when it has a ready sandbox,
   * otherwise started now. On failure nothing of it is left behind. `reservation` is admission's
   * (the session and its planned instances): settled as they start; slots beyond node1 stay with
   * the session for the instances its template or workshop adds, and go when it ends. On failure
   * the caller releases it.
   */
  async create(reservation?: SlotReservation): Promise<{ id: string; session: Session }> {
    const created = await this.createSession(reservation);
    if (reservation && reservation.instancesHeld > 0) this.heldSlots.set(created.session.key, reservation);
    return created;
  }

  private async createSession(reservation: SlotReservation | undefined): Promise<{ id: string; session: Session }> {
    const slot = this.options.pool?.take();
    if (slot) {
      try {
        return await this.createFromSlot(slot, reservation);
      } catch (error) {
        // The slot went away (removed from outside, engine hiccup): start one the slow way.
        this.options.logger.warn('warm sandbox could not be claimed', {
          session: sessionLogName(slot.key),
          error: (error as Error).message,
        });
        void this.options.driver.removeSession(slot.key).catch(() => {});
      }
    }
    return this.createCold(reservation);
  }

  private async createFromSlot(slot: WarmSlot, reservation: SlotReservation | undefined): Promise<{ id: string; session: Session }> {
    const now = this.options.clock.now();
    await this.options.driver.claimInstance(slot.key, 'node1');
    // Never outlive the labels the slot was made with (the reaper trusts them after a restart).
    const expiresAt = new Date(Math.min(now.getTime() + this.options.sessionTtlMs, slot.labelExpiresAt.getTime()));
    const session = new Session(slot.key, now, expiresAt, this.registryPasswords.passwordOf(slot.key));
    this.applyLimits(session);
    // Its labels say later (the slot waited in the pool): after a restart this is what counts.
    await this.expiries.set(slot.key, { expiresAt, maxExpiresAt: session.maxExpiresAt, unanswered: true }).catch((error: Error) => this.options.logger.warn('session expiry not saved', { error: error.message }));
    session.instances.set('node1', {
      name: 'node1',
      containerId: slot.instance.containerId,
      ip: slot.instance.ip,
      state: 'running',
      ready: Promise.resolve(),
    });
    session.lifecycle = 'running';
    this.sessions.set(slot.key, session);
    reservation?.sessionStarted(slot.key);
    reservation?.instanceSettled();
    this.options.logger.info('session created from the warm pool', {
      session: sessionLogName(slot.key),
      expiresAt: expiresAt.toISOString(),
    });
    return { id: slot.id, session };
  }

  private async createCold(reservation: SlotReservation | undefined): Promise<{ id: string; session: Session }> {
    const { driver, clock, logger } = this.options;
    const id = newSessionId();
    const key = sessionKey(id);
    const createdAt = clock.now();
    const expiresAt = new Date(createdAt.getTime() + this.options.sessionTtlMs);
    const session = new Session(key, createdAt, expiresAt, this.registryPasswords.passwordOf(key));
    this.applyLimits(session);
    this.sessions.set(key, session);
    // Counted as live from here (usage() counts the map); if the start fails, the caller's release
    // of the reservation forgets it for its client.
    reservation?.sessionStarted(key);
    try {
      // Marked before anything exists on the engine: a server killed from here until the id is
      // handed out leaves nothing the next start would adopt.
      await this.expiries
        .set(key, { expiresAt, maxExpiresAt: session.maxExpiresAt, unanswered: true })
        .catch((error: Error) => logger.warn('session expiry not saved', { error: error.message }));
      await driver.createSessionNetwork(key, expiresAt, createdAt);
      await this.startInstance(session, 'node1', reservation);
      session.lifecycle = 'running';
    } catch (error) {
      this.sessions.delete(key);
      session.lifecycle = 'gone';
      await driver.removeSession(key).then(
        () => this.expiries.delete(key),
        (cleanupError: Error) =>
          // Its unanswered mark stays: the next start removes what is left.
          logger.error('cleanup after failed create failed', {
            session: sessionLogName(key),
            error: cleanupError.message,
          }),
      ).catch(() => {});
      throw error;
    }
    logger.info('session created', { session: sessionLogName(key), expiresAt: expiresAt.toISOString() });
    return { id, session };
  }

  private async startInstance(session: Session, name: string, reservation?: SlotReservation): Promise<Instance> {
    const { driver, logger } = this.options;
    const closed = () => session.lifecycle === 'closing' || session.lifecycle === 'gone';
    if (closed()) throw new SessionNotFoundError();
    const starting = driver.startInstance({
      sessionKey: session.key,
      name,
      expiresAt: session.expiresAt,
      createdAt: session.createdAt,
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
      await this.closing.get(session.key)?.catch(() => {});
      await driver.removeSession(session.key).catch((error: Error) =>
        logger.error('could not remove a sandbox made as its session closed', { session: sessionLogName(session.key), error: error.message }),
      );
      throw new SessionNotFoundError();
    }
    const ready = driver.waitUntilReady(started.containerId, this.options.readyTimeoutMs);
    const instance: Instance = { name, containerId: started.containerId, ip: started.ip, state: 'starting', ready };
    this.track(session, instance, ready);
    session.instances.set(name, instance);
    reservation?.instanceSettled(); // counted as live from here
    logger.info('instance started', {
      session: sessionLogName(session.key),
      instance: name,
      container: started.containerId.slice(0, 12),
    });
    return instance;
  }

  /** The live session with this id; throws SessionNotFoundError for unknown, malformed or expired ids. */
  get(id: string): Session {
    if (!isWellFormedSessionId(id)) throw new SessionNotFoundError();
    const session = this.sessions.get(sessionKey(id));
    if (!session || session.lifecycle === 'closing' || session.lifecycle === 'gone') throw new SessionNotFoundError();
    if (isExpired(this.options.clock.now(), session.expiresAt)) {
      void this.closeByKey(session.key, 'expired');
      throw new SessionNotFoundError();
    }
    return session;
  }

  /** The live session with this key (port previews name sessions by key, never by id). */
  getByKey(key: string): Session {
    const session = this.sessions.get(key);
    if (!session || session.lifecycle === 'closing' || session.lifecycle === 'gone') throw new SessionNotFoundError();
    if (isExpired(this.options.clock.now(), session.expiresAt)) throw new SessionNotFoundError();
    return session;
  }

  instance(id: string, name: string): { session: Session; instance: Instance } {
    const session = this.get(id);
    const instance = session.instances.get(name);
    if (!instance) throw new InstanceNotFoundError(name);
    return { session, instance };
  }

  /**
   * Closes the session with this id. Throws SessionNotFoundError when there is none. Idempotent: a
   * close in progress is joined, and one that failed part-way (the engine refused a removal) is
   * taken up again and finished.
   */
  async close(id: string): Promise<void> {
    if (isWellFormedSessionId(id)) {
      const unfinished = this.sessions.get(sessionKey(id));
      if (unfinished?.lifecycle === 'closing') return this.closeByKey(unfinished.key, 'closed');
    }
    const session = this.get(id);
    await this.closeByKey(session.key, 'closed');
  }

  /** Keys of sessions whose removal failed part-way and is not being retried: the reaper finishes them. */
  unfinishedCloses(): string[] {
    return [...this.sessions.values()].filter((session) => session.lifecycle === 'closing' && !this.closing.has(session.key)).map((session) => session.key);
  }

  /**
   * Ends a session and removes everything it made. Safe to call twice: a second call waits for the
   * first. Also used by the reaper, with the key alone.
   */
  closeByKey(key: string, reason: EndReason): Promise<void> {
    const pending = this.closing.get(key);
    if (pending) return pending;
    const session = this.sessions.get(key);
    const retry = session?.lifecycle === 'closing';
    if (session) session.lifecycle = 'closing';
    this.heldSlots.get(key)?.release(); // a template still adding nodes will not need them
    this.heldSlots.delete(key);
    if (!retry) for (const listener of this.endedListeners) listener(key, reason);
    // Sandboxes still being made are waited for: they must exist to be removed with the rest.
    const work = Promise.allSettled([...(this.starting.get(key) ?? [])])
      .then(() => this.options.driver.removeSession(key))
      .then(() => {
        if (session) session.lifecycle = 'gone';
        this.sessions.delete(key);
        void this.expiries.delete(key).catch(() => {});
        this.options.logger.info(`session ${reason}`, { session: sessionLogName(key) });
      })
      .catch((error: unknown) => {
        this.options.logger.error('session removal incomplete (DELETE again or the reaper finishes it)', {
          session: sessionLogName(key),
          error: (error as Error).message,
        });
        throw error instanceof PlaygroundError ? error : new RemovalIncompleteError();
      })
      .finally(() => this.closing.delete(key));
    this.closing.set(key, work);
    return work;
  }

  /** The instance, once its Docker answers (InstanceNotReadyError if not within timeoutMs). */
  async readyInstance(id: string, name: string, timeoutMs: number): Promise<Instance> {
    const { instance } = this.instance(id, name);
    await waitWithin(instance.ready, timeoutMs).catch((error: Error) => {
      throw new InstanceNotReadyError(`Instance "${name}" is not ready: ${error.message}`);
    });
    return instance;
  }

  /**
   * Runs a command in an instance without a TTY; waits for the instance's Docker first. At most
   * MAX_EXECS_PER_SESSION run at once per session (BusyError beyond): each holds an engine exec and
   * up to 2 MiB of output in this process.
   */
  async exec(id: string, name: string, request: ExecRequest): Promise<ExecResult> {
    const timeoutMs = validateExecRequest(request);
    const { session } = this.instance(id, name);
    const release = this.execs.tryTake(session.key);
    if (!release) {
      throw new BusyError(
        `This session already runs ${MAX_EXECS_PER_SESSION} commands through the API at once, the most allowed. Wait for one to finish, then try again.`,
      );
    }
    try {
      const instance = await this.readyInstance(id, name, timeoutMs);
      return await this.options.driver.exec(instance.containerId, request.cmd, {
        timeoutMs,
        maxOutputBytes: this.options.execMaxOutputBytes,
      });
    } finally {
      release();
    }
  }

  /** Takes over sessions found on the engine at start-up (the server restarted while they ran). */
  adopt(found: AdoptableSession): void {
    if (this.sessions.has(found.key)) return;
    // The saved expiry wins over the labels': an extension, or a session from the warm pool.
    const saved = this.expiries.get(found.key);
    const session = new Session(found.key, found.createdAt, saved?.expiresAt ?? found.expiresAt, this.registryPasswords.passwordOf(found.key), true);
    this.applyLimits(session);
    if (saved) session.maxExpiresAt = saved.maxExpiresAt;
    for (const instance of found.instances) {
      session.instances.set(instance.name, {
        name: instance.name,
        containerId: instance.containerId,
        ip: instance.ip,
        state: 'starting',
        ready: this.options.driver.waitUntilReady(instance.containerId, this.options.readyTimeoutMs),
      });
    }
    for (const instance of session.instances.values()) {
      instance.ready.then(
        () => (instance.state = 'running'),
        () => (instance.state = 'stopped'),
      );
    }
    session.lifecycle = 'running';
    this.sessions.set(found.key, session);
    this.options.logger.info('session adopted', { session: sessionLogName(found.key) });
  }

  /** How many sessions and sandboxes are live, for admission. */
  usage(): { sessions: number; instances: number } {
    let instances = 0;
    for (const session of this.sessions.values()) instances += session.instances.size;
    return { sessions: this.sessions.size, instances };
  }

  /** Live sessions, for the reaper. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  hasKey(key: string): boolean {
    return this.sessions.has(key);
  }

  /**
   * Closes every session this server created (tests clean up with it). Adopted sessions are left:
   * another server on the same engine may be serving them.
   */
  async closeAllCreated(): Promise<void> {
    const created = [...this.sessions.values()].filter((session) => !session.adopted);
    await Promise.all(created.map((session) => this.closeByKey(session.key, 'closed')));
  }

  /** Marks an instance whose container has gone (removed or stopped from outside) as stopped. */
  markStopped(key: string, name: string): void {
    const instance = this.sessions.get(key)?.instances.get(name);
    if (instance && !instance.restarting) instance.state = 'stopped';
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
