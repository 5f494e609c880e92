// The page's state: which view shows, the session on screen, and the timers that keep it fresh.
// Components read it and call its methods; they hold no state of their own.
import type { InstanceInfo, InstanceStats, SessionInfo } from '../../../server/src/protocol/api-types';
import { addInstance, ApiError, closeTerminal, createSession, deleteInstance, deleteSession, extendSession, getInstanceStats, getSession, joinWaitingRoom, leaveWaitingRoom, restartInstance, waitingRoomStatus } from './api';
import { sendToTerminal } from './terminal/terminal-input';
import { TerminalTabs } from './terminal/terminal-tabs.svelte';
import { CloseCode, MAX_TERMINALS_PER_INSTANCE } from '../../../server/src/protocol/terminal-protocol';
import { parseRoute, sessionPath } from './route';
import type { TerminalStatus } from './terminal/terminal-status';
import { msUntilNextTick } from './time-format';
import { sortedInstances } from './instance-order';

export type View =
  | { kind: 'landing' }
  | { kind: 'loading'; id: string }
  | { kind: 'session' }
  /** The URL names a session the server does not know (never existed, or already removed). */
  | { kind: 'not-found' }
  /** The session on screen ended: closed, expired, or removed by the server. */
  | { kind: 'ended' }
  /** The session could not be loaded for another reason (server unreachable, ...). */
  | { kind: 'unavailable'; id: string; message: string }
  /** A workshop link (/?workshop=<name>) is starting its session. */
  | { kind: 'starting-workshop'; name: string }
  /** A workshop link could not start its session: the server's answer, and whether trying again may help. */
  | { kind: 'workshop-failed'; name: string; message: string; retryable: boolean }
  /** The playground is full: the visitor's place in line; the session starts by itself. */
  | { kind: 'waiting'; ticket: string; position: number; estimateSeconds: number | null };

/** How often a visitor in line asks for their place (the server drops a place not asked about for 60 s). */
export const WAITING_POLL_MS = 3_000;

/** Answers that mean "the machine is full right now": worth a place in line rather than an error. */
function isFull(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'at_capacity' || error.code === 'addresses_exhausted');
}

/** How often the session is refreshed while shown. */
export const POLL_INTERVAL_MS = 3_000;
/** Refresh faster while an instance is still starting, so its terminal opens promptly. */
export const POLL_STARTING_INTERVAL_MS = 1_000;
/** Terminals one instance may have open: the server's limit, from the shared protocol. */
export const MAX_TABS = MAX_TERMINALS_PER_INSTANCE;
/** How long a Run button waits for the terminal to connect. */
const RUN_WAIT_MS = 20_000;
/** How often each instance's CPU and memory are asked for. */
export const STATS_INTERVAL_MS = 3_000;

function firstView(location: Location | undefined): View {
  if (!location) return { kind: 'landing' };
  const route = parseRoute(location.pathname);
  if (route.kind === 'session') return { kind: 'loading', id: route.id };
  const workshop = workshopOfLink(location.search);
  return workshop ? { kind: 'starting-workshop', name: workshop } : { kind: 'landing' };
}

/** The workshop a link names: /?workshop=<name>. */
function workshopOfLink(search: string): string | undefined {
  return new URLSearchParams(search).get('workshop')?.trim() || undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

export class Playground {
  /** What the address bar leads to, so nothing else shows (or asks the server) before mount(). */
  view = $state<View>(firstView(globalThis.location));
  /** The session on screen; null unless view is 'session'. */
  session = $state<SessionInfo | null>(null);
  /** The instance whose terminal is shown. */
  selected = $state('node1');
  starting = $state(false);
  startError = $state<string | null>(null);
  closing = $state(false);
  closeError = $state<string | null>(null);
  /** The clock the countdown reads, advanced once a second while a session shows. */
  now = $state(Date.now());
  terminalStatus = $state<Record<string, TerminalStatus>>({});
  adding = $state(false);
  /** Why the last Add instance or Delete failed, in words (e.g. the instance limit). */
  instanceError = $state<string | null>(null);
  /** Instances being deleted. */
  deleting = $state<Record<string, boolean>>({});
  /** The terminal tabs of each instance (terminal/terminal-tabs.svelte.ts). */
  readonly tabs = new TerminalTabs();
  /** Live CPU and memory per instance, refreshed every few seconds while the session shows. */
  stats = $state<Record<string, InstanceStats>>({});
  /** Instances whose terminal has opened; it stays open even if a later poll says 'starting'. */
  terminalOpened = $state<Record<string, boolean>>({});

  timeLeftMs = $derived(this.session ? Date.parse(this.session.expiresAt) - this.now : 0);
  selectedInstance = $derived<InstanceInfo | undefined>(
    this.session?.instances.find((instance) => instance.name === this.selected),
  );

  /** Bumped whenever the session on screen changes; async results of an earlier one are dropped. */
  #visit = 0;
  #abort: AbortController | null = null;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #statsTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Starts following the address bar (back/forward included). Returns the teardown. A workshop link
   * (/?workshop=<name>) starts its session here, once per page load: never again from history.
   */
  mount(): () => void {
    const onPopState = () => this.#showRoute(window.location.pathname);
    const onVisible = () => {
      if (document.visibilityState !== 'visible' || !this.session) return;
      this.#tick(this.#visit);
      // Stats were not asked for while the page was hidden: show fresh numbers at once.
      void this.#pollStats(this.#visit);
    };
    window.addEventListener('popstate', onPopState);
    document.addEventListener('visibilitychange', onVisible);
    const workshop = parseRoute(window.location.pathname).kind === 'landing' ? workshopOfLink(window.location.search) : undefined;
    if (workshop) void this.#startFromLink(workshop);
    else this.#showRoute(window.location.pathname);
    return () => {
      window.removeEventListener('popstate', onPopState);
      document.removeEventListener('visibilitychange', onVisible);
      this.#leave();
    };
  }

  /**
   * Starts a new session (from a template such as "swarm-3m2w", if given) and shows it at /s/<id>.
   * A second call while one is pending does nothing.
   */
  async start(template?: string, workshop?: string): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.startError = null;
    try {
      const session = await createSession(undefined, template, workshop);
      this.#leave();
      window.history.pushState(null, '', sessionPath(session.id));
      this.#enter(session);
    } catch (error) {
      if (isFull(error)) void this.#waitInLine(template, workshop, 'push');
      else this.startError = messageOf(error);
    } finally {
      this.starting = false;
    }
  }

  /**
   * The playground is full: takes a place in its waiting line, shows it, and asks every few seconds
   * until the session has started, then shows it as a fresh start would. Leaving the view (Back,
   * Leave the line) gives the place up.
   */
  async #waitInLine(template: string | undefined, workshop: string | undefined, history: 'push' | 'replace'): Promise<void> {
    this.#leave();
    const visit = this.#visit;
    let ticket: string | undefined;
    try {
      let status = await joinWaitingRoom(template, workshop);
      while (visit === this.#visit) {
        ticket = status.ticket;
        if (status.state === 'admitted' && status.session) {
          window.history[history === 'push' ? 'pushState' : 'replaceState'](null, '', sessionPath(status.session.id));
          this.#enter(status.session);
          return;
        }
        if (status.state === 'failed') throw new ApiError(503, 'start_failed' as never, status.error?.message ?? 'Your session could not be started.');
        this.view = { kind: 'waiting', ticket: status.ticket, position: status.position, estimateSeconds: status.estimateSeconds };
        await new Promise((resolve) => setTimeout(resolve, WAITING_POLL_MS));
        if (visit !== this.#visit) break;
        // A lapsed place (the tab slept past the server's patience) is taken again, at the back.
        status = await waitingRoomStatus(status.ticket).catch((error: unknown) => {
          if (error instanceof ApiError && error.isNotFound) return joinWaitingRoom(template, workshop);
          throw error;
        });
      }
      if (ticket) void leaveWaitingRoom(ticket);
    } catch (error) {
      if (visit !== this.#visit) return;
      this.view = { kind: 'landing' };
      this.startError = messageOf(error);
    }
  }

  /** Leave the line: the place is given up and the landing page shows again. */
  leaveLine(): void {
    if (this.view.kind !== 'waiting') return;
    const ticket = this.view.ticket;
    this.#leave();
    void leaveWaitingRoom(ticket);
    window.history.replaceState(null, '', '/');
    this.view = { kind: 'landing' };
  }

  /**
   * Starts the session of a workshop link: one POST, whatever it answers. Its history entry is
   * replaced by the session's, so Back goes where the person came from rather than to the link
   * (which would start a second session). A failure stays on screen with the server's answer.
   */
  async #startFromLink(name: string): Promise<void> {
    this.#leave();
    const visit = this.#visit;
    this.view = { kind: 'starting-workshop', name };
    this.starting = true;
    try {
      // Not cancelled on leaving: the server may have made the session already; it is deleted below.
      const session = await createSession(undefined, undefined, name);
      if (visit !== this.#visit) {
        // The person went elsewhere meanwhile (Back): nobody will use this session.
        void deleteSession(session.id).catch(() => undefined);
        return;
      }
      window.history.replaceState(null, '', sessionPath(session.id));
      this.#enter(session);
    } catch (error) {
      if (visit !== this.#visit) return;
      if (isFull(error)) {
        void this.#waitInLine(undefined, name, 'replace');
        return;
      }
      // An unknown workshop (404) or a bad request stays so; a full server or a lost connection may not.
      const retryable = !(error instanceof ApiError && (error.status === 404 || error.status === 400));
      this.view = { kind: 'workshop-failed', name, message: messageOf(error), retryable };
    } finally {
      this.starting = false;
    }
  }

  /** Tries the workshop link on screen again (after it failed for a passing reason). */
  retryWorkshop(): void {
    if (this.view.kind === 'workshop-failed') void this.#startFromLink(this.view.name);
  }

  /** Leaves a failed workshop link for the landing page and its list of workshops, in place of the link. */
  showWorkshops(): void {
    window.history.replaceState(null, '', '/');
    this.#showRoute('/');
  }

  /** Deletes the session on screen and shows the ended view. */
  async close(): Promise<void> {
    const session = this.session;
    if (!session || this.closing) return;
    const visit = this.#visit;
    this.closing = true;
    this.closeError = null;
    try {
      await deleteSession(session.id);
      if (visit === this.#visit) this.#end();
    } catch (error) {
      if (visit === this.#visit) this.closeError = messageOf(error);
    } finally {
      this.closing = false;
    }
  }

  /** Loads the session in the address bar again (after it could not be loaded). */
  retry(): void {
    this.#showRoute(window.location.pathname);
  }

  select(instance: string): void {
    if (this.session?.instances.some((candidate) => candidate.name === instance)) this.selected = instance;
  }

  setTerminalStatus(instance: string, status: TerminalStatus): void {
    this.terminalStatus[instance] = status;
  }

  /** Adds the next instance (node2, node3, ...) and shows it. */
  async addInstance(): Promise<void> {
    const session = this.session;
    if (!session || this.adding) return;
    const visit = this.#visit;
    this.adding = true;
    this.instanceError = null;
    try {
      const instance = await addInstance(session.id);
      if (visit !== this.#visit || !this.session) return;
      if (!this.session.instances.some((known) => known.name === instance.name)) {
        this.session.instances = sortedInstances([...this.session.instances, instance]);
      }
      this.selected = instance.name;
      this.#markOpened(this.session);
      this.#schedulePoll(visit);
    } catch (error) {
      if (visit === this.#visit) this.instanceError = messageOf(error);
    } finally {
      this.adding = false;
    }
  }

  /** Deletes an instance with everything in it; the session goes on. */
  async deleteInstance(name: string): Promise<void> {
    const session = this.session;
    if (!session || this.deleting[name]) return;
    const visit = this.#visit;
    this.deleting[name] = true;
    this.instanceError = null;
    try {
      await deleteInstance(session.id, name);
      if (visit !== this.#visit || !this.session) return;
      this.#update({ ...this.session, instances: this.session.instances.filter((instance) => instance.name !== name) });
      delete this.terminalOpened[name];
    } catch (error) {
      if (visit === this.#visit) this.instanceError = messageOf(error);
    } finally {
      delete this.deleting[name];
    }
  }

  /**
   * A terminal learned that its instance or the session is gone (close code 4404, 4410 or 4411).
   * The session ended: show it. Otherwise the instance may be gone while the session goes on
   * (deleted here or in another browser): ask the server, which also tells whether the session is.
   */
  terminalEnded(code?: number): void {
    if (this.view.kind !== 'session') return;
    if (code === CloseCode.sessionEnded) {
      this.#end();
      return;
    }
    void this.#poll(this.#visit);
  }

  #showRoute(pathname: string): void {
    const route = parseRoute(pathname);
    this.#leave();
    if (route.kind === 'landing') {
      this.view = { kind: 'landing' };
    } else {
      void this.#load(route.id);
    }
  }

  async #load(id: string): Promise<void> {
    const visit = this.#visit;
    this.view = { kind: 'loading', id };
    try {
      const session = await getSession(id, this.#abort?.signal);
      if (visit === this.#visit) this.#enter(session);
    } catch (error) {
      if (visit !== this.#visit) return;
      if (error instanceof ApiError && error.isNotFound) {
        this.view = { kind: 'not-found' };
      } else {
        this.view = { kind: 'unavailable', id, message: messageOf(error) };
      }
    }
  }

  #enter(session: SessionInfo): void {
    this.#leave();
    const visit = this.#visit;
    this.session = { ...session, instances: sortedInstances(session.instances) };
    this.selected = this.session.instances[0]?.name ?? 'node1';
    this.terminalStatus = {};
    this.terminalOpened = {};
    this.tabs.reset();
    this.closeError = null;
    this.startError = null;
    this.#markOpened(session);
    this.view = { kind: 'session' };
    this.#tick(visit);
    this.#schedulePoll(visit);
    void this.#pollStats(visit);
  }

  /**
   * Asks each running instance for its CPU and memory, every STATS_INTERVAL_MS, while the page is
   * visible: a background tab costs the server nothing (each answer is a Docker stats call). The
   * page becoming visible again restarts the loop (mount's visibilitychange listener).
   */
  async #pollStats(visit: number): Promise<void> {
    const session = this.session;
    if (visit !== this.#visit || !session) return;
    clearTimeout(this.#statsTimer);
    this.#statsTimer = undefined;
    if (document.visibilityState === 'hidden') return;
    await Promise.all(
      session.instances
        .filter((instance) => instance.state === 'running')
        .map(async (instance) => {
          try {
            const stats = await getInstanceStats(session.id, instance.name, this.#abort?.signal);
            if (visit === this.#visit) this.stats[instance.name] = stats;
          } catch {
            // a passing failure (or the instance just went away): try again next time
          }
        }),
    );
    // A second loop (started by the page becoming visible while this one waited) owns the timer.
    if (visit !== this.#visit || this.#statsTimer !== undefined) return;
    this.#statsTimer = setTimeout(() => void this.#pollStats(visit), STATS_INTERVAL_MS);
  }

  /**
   * Types a command into an instance's first terminal and presses Enter (a workshop's Run button):
   * shows that instance, then waits (bounded) until its terminal is connected.
   */
  async runInTerminal(instance: string, command: string): Promise<boolean> {
    this.select(instance);
    this.tabs.select(instance, 1);
    const text = `${command.replace(/\n+$/, '')}\r`;
    const deadline = Date.now() + RUN_WAIT_MS;
    while (Date.now() < deadline) {
      if (sendToTerminal(instance, text)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.instanceError = `The terminal of ${instance} did not connect; the command was not run.`;
    return false;
  }

  /** The shells of an instance the server has open. */
  #serverTabs(name: string): number[] {
    return this.session?.instances.find((candidate) => candidate.name === name)?.terminals ?? [];
  }

  /** The tabs of an instance: its open shells on the server, those opened here, the active one. */
  tabsOf(name: string): number[] {
    return this.tabs.of(name, this.#serverTabs(name));
  }

  /** Opens another shell of the instance in a new tab (at most MAX_TABS). */
  openTab(name: string): void {
    if (this.tabs.open(name, this.#serverTabs(name)) === undefined) this.instanceError = `An instance has at most ${MAX_TABS} terminals.`;
  }

  selectTab(name: string, n: number): void {
    this.tabs.select(name, n);
  }

  /** Drops a tab here; the shell is gone from the session's list too. */
  #dropTab(name: string, n: number): void {
    const instance = this.session?.instances.find((candidate) => candidate.name === name);
    if (instance) instance.terminals = instance.terminals.filter((tab) => tab !== n);
    this.tabs.drop(name, n, this.#serverTabs(name));
  }

  /** Closes a tab and ends its shell on the server. */
  async closeTab(name: string, n: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.#dropTab(name, n);
    try {
      await closeTerminal(session.id, name, n);
    } catch (error) {
      this.instanceError = messageOf(error);
    }
  }

  /**
   * Another page closed one of this instance's tabs (its shell was DELETEd): drop the tab here too,
   * showing a neighbour if it was the one on screen. The server already ended the shell.
   */
  tabClosedElsewhere(name: string, n: number): void {
    this.#dropTab(name, n);
  }

  /** Extending the session: in progress, and the server's refusal in words. */
  extending = $state(false);
  extendError = $state<string | null>(null);

  /** Moves the session's end later (SESSION_EXTEND), up to the longest the server allows. */
  async extend(): Promise<void> {
    const session = this.session;
    if (!session || this.extending) return;
    const visit = this.#visit;
    this.extending = true;
    this.extendError = null;
    try {
      const extended = await extendSession(session.id);
      if (visit !== this.#visit || !this.session) return;
      this.#update({ ...this.session, expiresAt: extended.expiresAt, maxExpiresAt: extended.maxExpiresAt });
    } catch (error) {
      if (visit === this.#visit) this.extendError = messageOf(error);
    } finally {
      if (visit === this.#visit) this.extending = false;
    }
  }

  /** Restarts an instance (its images and containers stay); its terminal reconnects by itself. */
  async restartInstance(name: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    const visit = this.#visit;
    this.instanceError = null;
    try {
      const instance = await restartInstance(session.id, name);
      if (visit !== this.#visit || !this.session) return;
      this.#update({ ...this.session, instances: this.session.instances.map((known) => (known.name === name ? instance : known)) });
      this.#schedulePoll(visit);
    } catch (error) {
      if (visit === this.#visit) this.instanceError = messageOf(error);
    }
  }

  #end(): void {
    this.#leave();
    this.view = { kind: 'ended' };
  }

  /** Stops the timers and requests of the session on screen and forgets it. Safe to call twice. */
  #leave(): void {
    this.#visit += 1;
    this.#abort?.abort();
    this.#abort = new AbortController();
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#statsTimer);
    this.#statsTimer = undefined;
    this.stats = {};
    this.#pollTimer = undefined;
    this.#tickTimer = undefined;
    this.session = null;
    this.closing = false;
  }

  #update(session: SessionInfo): void {
    this.session = { ...session, instances: sortedInstances(session.instances) };
    if (!session.instances.some((instance) => instance.name === this.selected)) {
      this.selected = this.session.instances[0]?.name ?? 'node1';
    }
    this.#markOpened(session);
  }

  #markOpened(session: SessionInfo): void {
    for (const instance of session.instances) {
      // Connect while the instance is still starting: its shell says "Starting Docker..." and shows
      // the prompt the moment Docker inside answers, with no poll interval in between.
      if (instance.state !== 'stopped' && !this.terminalOpened[instance.name]) {
        this.terminalOpened[instance.name] = true;
      }
    }
  }

  #schedulePoll(visit: number): void {
    const starting =
      (this.session?.instances.some((instance) => instance.state === 'starting') ?? false) ||
      this.session?.template?.state === 'assembling';
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => void this.#poll(visit), starting ? POLL_STARTING_INTERVAL_MS : POLL_INTERVAL_MS);
  }

  async #poll(visit: number): Promise<void> {
    const id = this.session?.id;
    if (visit !== this.#visit || !id) return;
    try {
      const session = await getSession(id, this.#abort?.signal);
      if (visit !== this.#visit) return;
      this.#update(session);
    } catch (error) {
      if (visit !== this.#visit) return;
      if (error instanceof ApiError && error.isNotFound) {
        this.#end();
        return;
      }
      // A passing network problem: keep the view and try again at the next interval.
    }
    this.#schedulePoll(visit);
  }

  /** Advances the countdown; at zero, asks the server and shows the ended view. */
  #tick(visit: number): void {
    if (visit !== this.#visit || !this.session) return;
    clearTimeout(this.#tickTimer);
    this.now = Date.now();
    const left = this.timeLeftMs;
    if (left <= 0) {
      void this.#checkExpired(visit);
      return;
    }
    this.#tickTimer = setTimeout(() => this.#tick(visit), msUntilNextTick(left));
  }

  async #checkExpired(visit: number): Promise<void> {
    const id = this.session?.id;
    if (!id) return;
    try {
      const session = await getSession(id, this.#abort?.signal);
      if (visit !== this.#visit) return;
      if (Date.parse(session.expiresAt) > Date.now()) {
        // Extended, or this computer's clock runs ahead of the server's: keep counting.
        this.#update(session);
        this.#tick(visit);
        return;
      }
    } catch {
      if (visit !== this.#visit) return;
    }
    // Gone (404), or past its expiry and about to be removed by the server: either way it is over.
    this.#end();
  }
}
