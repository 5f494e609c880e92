import { deployStack, type StackSource } from '../stacks/stack-deployer';
import { ConcurrencyCap } from '../admission/concurrency-cap';
import type { SlotReservation } from '../admission/reservation';
import type { Clock } from '../clock';
import { BusyError } from '../errors';
import { sessionLogName, type Logger } from '../log';
import type { ExecRequest, ExecResult, InstanceStats, SessionInfo } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { AdoptableSession } from '../reaper/expiry-policy';
import { randomBytes } from 'node:crypto';
import { ExpiryStore } from './expiry-store';
import { validateExecRequest } from './exec-request';
import { InstanceLifecycle, type InstanceListener, type SeededInstance } from './instance-lifecycle';
import { LiveSessions } from './live-sessions';
import { StatsSharing } from './stats-sharing';
import { RegistryPasswords } from './registry-credentials';
import type { Instance, Session } from './session';
import { SessionClosing, type EndReason, type SessionEndedListener } from './session-closing';
import { SessionCreation } from './session-creation';
import { extendedExpiry, type ExtensionPolicy } from './session-limits';
import type { WarmPool } from './warm-pool';
import { assembleSwarm } from '../templates/swarm-assembler';
import type { SwarmTemplate } from '../templates/templates';
import { isWellFormedSessionId, sessionKey } from './session-key';

export type { EndReason, SessionEndedListener } from './session-closing';
/** Called before an instance's resources are removed, or before it restarts (its terminals close first). */
export type InstanceRemovedListener = InstanceListener;

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
  /** This machine's name in a cluster (NODE_NAME); default "local". */
  nodeName?: string;
  /** Session registry passwords (from the server's secret); default: a secret of this process only. */
  registryPasswords?: RegistryPasswords;
  /** Where each session's real expiry is kept across restarts; default: memory only. */
  expiries?: ExpiryStore;
  /**
   * Extending a session: each POST .../extend adds stepMs (SESSION_EXTEND), never past maxTtlMs
   * after it began (SESSION_MAX_TTL); the page warns warnBeforeMs before the end (SESSION_WARNING).
   * Default: no extension (maxTtlMs = sessionTtlMs), no warning.
   */
  extension?: ExtensionPolicy;
}

/** Exec API calls running at once per session: enough for scripts and checks, not for a flood. */
export const MAX_EXECS_PER_SESSION = 4;
export const DEFAULT_MAX_INSTANCES = 5;

/**
 * The use cases of sessions, as the HTTP routes, terminals, reaper and start-up see them. The work
 * is done by its parts: live-sessions.ts (lookup), session-creation.ts (cold, warm, adopted),
 * instance-lifecycle.ts (add, restart, remove), session-closing.ts (removal, once).
 */
export class SessionService {
  private readonly sessions: LiveSessions;
  private readonly instances: InstanceLifecycle;
  private readonly creation: SessionCreation;
  private readonly closing: SessionClosing;
  /** Admission slots a new session holds for the instances its template or workshop adds in the background. */
  private readonly heldSlots = new Map<string, SlotReservation>();
  private readonly execs = new ConcurrencyCap(MAX_EXECS_PER_SESSION);
  private readonly expiries: ExpiryStore;
  private readonly sharedStats: StatsSharing;

  constructor(private readonly options: SessionServiceOptions) {
    const { driver, clock, logger } = options;
    this.expiries = options.expiries ?? ExpiryStore.inMemory();
    this.sharedStats = new StatsSharing(driver, clock);
    this.sessions = new LiveSessions(clock, (key) => void this.closeByKey(key, 'expired'));
    this.instances = new InstanceLifecycle({
      driver,
      clock,
      logger,
      readyTimeoutMs: options.readyTimeoutMs,
      maxInstances: this.maxInstances,
      closingOf: (key) => this.closing.inProgress(key),
    });
    this.closing = new SessionClosing({
      driver,
      logger,
      sessions: this.sessions,
      expiries: this.expiries,
      inFlight: (key) => this.instances.inFlight(key),
      // A template still adding nodes will not need the slots it holds.
      onClosing: (key) => {
        this.heldSlots.get(key)?.release();
        this.heldSlots.delete(key);
      },
    });
    this.creation = new SessionCreation({
      driver,
      pool: options.pool,
      clock,
      logger,
      sessionTtlMs: options.sessionTtlMs,
      extension: options.extension,
      sessions: this.sessions,
      instances: this.instances,
      expiries: this.expiries,
      registryPasswords: options.registryPasswords ?? new RegistryPasswords(randomBytes(32)),
    });
  }

  /** The machine holding this service's sessions (NODE_NAME), as the API names it. */
  get nodeName(): string {
    return this.options.nodeName ?? 'local';
  }

  /** Instances one session may have (MAX_INSTANCES). */
  get maxInstances(): number {
    return this.options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  }

  /** How long a new session lives (SESSION_TTL). */
  get sessionTtlMs(): number {
    return this.options.sessionTtlMs;
  }

  /** Where the numbers of an instance's open shells come from (the terminal registry, wired in main). */
  terminalNumbers: (key: string, instance: string) => number[] = () => [];

  // ---- Sessions: create, adopt, look up, extend, close ----

  /**
   * Creates a session with one instance, node1 (session-creation.ts). `reservation` is admission's
   * (the session and its planned instances): settled as they start; slots beyond node1 stay with
   * the session for the instances its template or workshop adds, and go when it ends. On failure
   * the caller releases it. `seeded`: its first instance starts from a saved disk instead.
   */
  async create(reservation?: SlotReservation, seeded?: SeededInstance): Promise<{ id: string; session: Session }> {
    const created = await this.creation.create(reservation, seeded);
    if (reservation && reservation.instancesHeld > 0) this.heldSlots.set(created.session.key, reservation);
    return created;
  }

  /** Takes over sessions found on the engine at start-up (the server restarted while they ran). */
  adopt(found: AdoptableSession): void {
    this.creation.adopt(found);
  }

  /** The live session with this id; throws SessionNotFoundError for unknown, malformed or expired ids. */
  get(id: string): Session {
    return this.sessions.get(id);
  }

  /** The live session with this key (port previews name sessions by key, never by id). */
  getByKey(key: string): Session {
    return this.sessions.getByKey(key);
  }

  instance(id: string, name: string): { session: Session; instance: Instance } {
    return this.sessions.instance(id, name);
  }

  /** The session as the API shows it. */
  info(id: string): SessionInfo {
    const session = this.get(id);
    return session.toInfo(id, this.nodeName, (name) => this.terminalNumbers(session.key, name));
  }

  /** Live sessions, for the reaper. */
  list(): Session[] {
    return this.sessions.all();
  }

  hasKey(key: string): boolean {
    return this.sessions.has(key);
  }

  /** How many sessions and sandboxes are live, for admission. */
  usage(): { sessions: number; instances: number } {
    return this.sessions.usage();
  }

  /**
   * Moves the session's end later by SESSION_EXTEND, up to SESSION_MAX_TTL after it began (then
   * ExtendLimitError). The new end is kept on disk, so a restarted server keeps it.
   */
  async extend(id: string): Promise<Session> {
    const session = this.get(id);
    const next = extendedExpiry(session, this.options.extension?.stepMs ?? 0);
    session.expiresAt = next;
    await this.expiries.set(session.key, { expiresAt: next, maxExpiresAt: session.maxExpiresAt });
    this.options.logger.info('session extended', { session: sessionLogName(session.key), expiresAt: next.toISOString() });
    return session;
  }

  /**
   * Closes the session with this id. Throws SessionNotFoundError when there is none. Idempotent: a
   * close in progress is joined, and one that failed part-way (the engine refused a removal) is
   * taken up again and finished.
   */
  async close(id: string): Promise<void> {
    if (isWellFormedSessionId(id)) {
      const unfinished = this.sessions.find(sessionKey(id));
      if (unfinished?.lifecycle === 'closing') return this.closeByKey(unfinished.key, 'closed');
    }
    const session = this.get(id);
    await this.closeByKey(session.key, 'closed');
  }

  /** Ends a session and removes everything it made; a second call waits for the first. Also the reaper's. */
  closeByKey(key: string, reason: EndReason): Promise<void> {
    return this.closing.close(key, reason);
  }

  /** Keys of sessions whose removal failed part-way and is not being retried: the reaper finishes them. */
  unfinishedCloses(): string[] {
    return this.closing.unfinished();
  }

  /**
   * Closes every session this server created (tests clean up with it). Adopted sessions are left:
   * another server on the same engine may be serving them.
   */
  async closeAllCreated(): Promise<void> {
    const created = this.sessions.all().filter((session) => !session.adopted);
    await Promise.all(created.map((session) => this.closeByKey(session.key, 'closed')));
  }

  /** Called before a session's resources are removed (terminals close their sockets first). */
  onSessionEnded(listener: SessionEndedListener): void {
    this.closing.onEnded(listener);
  }

  // ---- The expiry file: what a restarted server needs to know ----

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
    await this.expiries.retainOnly(new Set(this.sessions.all().map((session) => session.key)));
  }

  // ---- Instances ----

  /**
   * Adds the next instance (the lowest free nodeN) to a session, on its private network. Throws
   * InstanceLimitError at MAX_INSTANCES. Resolves once the sandbox runs (its Docker may still start).
   * `reservation` is admission's slot for it; without one, a slot the session holds from its
   * creation (a template's or workshop's further nodes) is used when there is one.
   */
  async addInstance(id: string, reservation?: SlotReservation): Promise<Instance> {
    const session = this.get(id);
    return this.instances.add(session, reservation ?? this.heldSlot(session.key));
  }

  /** Starts a named instance from a saved disk image (the other instances of a resumed session). */
  async startSeededInstance(id: string, seeded: SeededInstance): Promise<Instance> {
    const session = this.get(id);
    return this.instances.add(session, this.heldSlot(session.key), seeded);
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

  /** Deploys a stack link's compose file on node1, in the background (progress in the session's info). */
  startStack(id: string, stack: StackSource): void {
    void deployStack(this.get(id), stack, { driver: this.options.driver, logger: this.options.logger });
  }

  /** Restarts an instance, keeping its Docker data; a restart asked for during one joins it. */
  async restartInstance(id: string, name: string): Promise<Instance> {
    const { session, instance } = this.instance(id, name);
    return this.instances.restart(session, instance);
  }

  /** Deletes one instance with its Docker data; its terminals are closed first. */
  async removeInstance(id: string, name: string): Promise<void> {
    const { session } = this.instance(id, name);
    await this.instances.remove(session, name);
  }

  onInstanceRemoved(listener: InstanceRemovedListener): void {
    this.instances.onRemoved(listener);
  }

  onInstanceRestarting(listener: InstanceRemovedListener): void {
    this.instances.onRestarting(listener);
  }

  /** Marks an instance whose container has gone (removed or stopped from outside) as stopped. */
  markStopped(key: string, name: string): void {
    const instance = this.sessions.find(key)?.instances.get(name);
    if (instance && !instance.restarting) instance.state = 'stopped';
  }

  /** The instance, once its Docker answers (InstanceNotReadyError if not within timeoutMs). */
  async readyInstance(id: string, name: string, timeoutMs: number): Promise<Instance> {
    const { instance } = this.instance(id, name);
    return this.instances.whenReady(instance, timeoutMs);
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
}
