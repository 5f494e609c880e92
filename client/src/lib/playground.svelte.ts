// The page's state: which view shows and the session on screen. Components read it and call its
// methods; they hold no state of their own. Starting a session (session-start), keeping it fresh
// (session-refresh) and acting on its instances (instance-actions) are pieces of their own, which
// this class composes: it alone changes the session, so the pieces hand their results back to it.
import type { InstanceInfo, InstanceStats, SessionInfo } from '../../../server/src/protocol/api-types';
import { ApiError, closeTerminal, deleteSession, extendSession, getSession } from './api';
import { messageOf } from './api-errors';
import { sendToTerminal } from './terminal/terminal-input';
import { TerminalTabs } from './terminal/terminal-tabs.svelte';
import { CloseCode, MAX_TERMINALS_PER_INSTANCE } from '../../../server/src/protocol/terminal-protocol';
import { parseRoute } from './route';
import type { TerminalStatus } from './terminal/terminal-status';
import { sortedInstances } from './instance-order';
import { firstView, linkOf, type View } from './view';
import { Visit } from './visit';
import { msLeft } from './refresh-timing';
import { SessionRefresh } from './session-refresh.svelte';
import { SessionStart } from './session-start.svelte';
import { InstanceActions } from './instance-actions.svelte';

/** How long a Run button waits for the terminal to connect. */
const RUN_WAIT_MS = 20_000;

export class Playground {
  /** What the address bar leads to, so nothing else shows (or asks the server) before mount(). */
  view = $state<View>(firstView(globalThis.location));
  /** The session on screen; null unless view is 'session'. */
  session = $state<SessionInfo | null>(null);
  /** The instance whose terminal is shown. */
  selected = $state('node1');
  closing = $state(false);
  closeError = $state<string | null>(null);
  terminalStatus = $state<Record<string, TerminalStatus>>({});
  /** The terminal tabs of each instance (terminal/terminal-tabs.svelte.ts). */
  readonly tabs = new TerminalTabs();
  /** Instances whose terminal has opened; it stays open even if a later poll says 'starting'. */
  terminalOpened = $state<Record<string, boolean>>({});
  /** Extending the session: in progress, and the server's refusal in words. */
  extending = $state(false);
  extendError = $state<string | null>(null);

  /** Moves on whenever the session on screen changes; async results of an earlier one are dropped. */
  readonly #visit = new Visit();
  readonly #refresh = new SessionRefresh(this.#visit, {
    session: () => this.session,
    update: (session) => this.#update(session),
    end: () => this.#end(),
    // Shown as a session that cannot be opened: Try again asks once more (the machine may be back).
    lost: (message) => {
      const id = this.session?.id;
      this.#leave();
      if (id) this.view = { kind: 'unavailable', id, message };
    },
  });
  readonly #start = new SessionStart(this.#visit, {
    view: () => this.view,
    show: (view) => (this.view = view),
    leave: () => this.#leave(),
    enter: (session) => this.#enter(session),
  });
  readonly #instances = new InstanceActions(this.#visit, {
    session: () => this.session,
    added: (instance) => this.#added(instance),
    deleted: (name) => this.#deleted(name),
    restarted: (name, instance) => this.#restarted(name, instance),
  });

  timeLeftMs = $derived(msLeft(this.session, this.#refresh.now));
  selectedInstance = $derived<InstanceInfo | undefined>(
    this.session?.instances.find((instance) => instance.name === this.selected),
  );

  /** The clock the countdown reads, advanced once a second while a session shows. */
  get now(): number {
    return this.#refresh.now;
  }
  /** Live CPU and memory per instance, refreshed every few seconds while the session shows. */
  get stats(): Record<string, InstanceStats> {
    return this.#refresh.stats;
  }
  get starting(): boolean {
    return this.#start.starting;
  }
  get startError(): string | null {
    return this.#start.startError;
  }
  get adding(): boolean {
    return this.#instances.adding;
  }
  /** Why the last action on an instance or its terminals failed, in words (e.g. the instance limit). */
  get instanceError(): string | null {
    return this.#instances.instanceError;
  }
  /** Instances being deleted. */
  get deleting(): Record<string, boolean> {
    return this.#instances.deleting;
  }

  /**
   * Starts following the address bar (back/forward included). Returns the teardown. A workshop link
   * (/?workshop=<name>) starts its session here, once per page load: never again from history.
   */
  mount(): () => void {
    const onPopState = () => this.#showRoute(window.location.pathname);
    const onVisible = () => {
      if (document.visibilityState === 'visible') this.#refresh.resume();
    };
    window.addEventListener('popstate', onPopState);
    document.addEventListener('visibilitychange', onVisible);
    const link = parseRoute(window.location.pathname).kind === 'landing' ? linkOf(window.location.search) : undefined;
    if (link) void this.#start.startFromLink(link);
    else this.#showRoute(window.location.pathname);
    return () => {
      window.removeEventListener('popstate', onPopState);
      document.removeEventListener('visibilitychange', onVisible);
      this.#leave();
    };
  }

  /** See SessionStart.start. */
  start(template?: string, workshop?: string): Promise<void> {
    return this.#start.start(template, workshop);
  }

  leaveLine(): void {
    this.#start.leaveLine();
  }

  retryLink(): void {
    this.#start.retryLink();
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
    const visit = this.#visit.current;
    this.closing = true;
    this.closeError = null;
    try {
      await deleteSession(session.id);
      if (this.#visit.isCurrent(visit)) this.#end();
    } catch (error) {
      if (this.#visit.isCurrent(visit)) this.closeError = messageOf(error);
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
  addInstance(): Promise<void> {
    return this.#instances.add();
  }

  /** Deletes an instance with everything in it; the session goes on. */
  deleteInstance(name: string): Promise<void> {
    return this.#instances.remove(name);
  }

  /** Restarts an instance (its images and containers stay); its terminal reconnects by itself. */
  restartInstance(name: string): Promise<void> {
    return this.#instances.restart(name);
  }

  #added(instance: InstanceInfo): void {
    if (!this.session) return;
    if (!this.session.instances.some((known) => known.name === instance.name)) {
      this.session.instances = sortedInstances([...this.session.instances, instance]);
    }
    this.selected = instance.name;
    this.#markOpened(this.session);
    this.#refresh.schedulePoll();
  }

  #deleted(name: string): void {
    if (!this.session) return;
    this.#update({ ...this.session, instances: this.session.instances.filter((instance) => instance.name !== name) });
    delete this.terminalOpened[name];
  }

  #restarted(name: string, instance: InstanceInfo): void {
    if (!this.session) return;
    this.#update({ ...this.session, instances: this.session.instances.map((known) => (known.name === name ? instance : known)) });
    this.#refresh.schedulePoll();
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
    this.#refresh.pollNow();
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
    const visit = this.#visit.current;
    this.view = { kind: 'loading', id };
    try {
      const session = await getSession(id, this.#visit.signal);
      if (this.#visit.isCurrent(visit)) this.#enter(session);
    } catch (error) {
      if (!this.#visit.isCurrent(visit)) return;
      if (error instanceof ApiError && error.isNotFound) {
        this.view = { kind: 'not-found' };
      } else {
        this.view = { kind: 'unavailable', id, message: messageOf(error) };
      }
    }
  }

  #enter(session: SessionInfo): void {
    this.#leave();
    this.session = { ...session, instances: sortedInstances(session.instances) };
    this.selected = this.session.instances[0]?.name ?? 'node1';
    this.terminalStatus = {};
    this.terminalOpened = {};
    this.tabs.reset();
    this.closeError = null;
    this.#start.startError = null;
    this.#markOpened(session);
    this.view = { kind: 'session' };
    this.#refresh.start();
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
    this.#instances.instanceError = `The terminal of ${instance} did not connect; the command was not run.`;
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

  /** Opens another shell of the instance in a new tab (at most MAX_TERMINALS_PER_INSTANCE, the server's limit). */
  openTab(name: string): void {
    if (this.tabs.open(name, this.#serverTabs(name)) === undefined) this.#instances.instanceError = `An instance has at most ${MAX_TERMINALS_PER_INSTANCE} terminals.`;
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
      this.#instances.instanceError = messageOf(error);
    }
  }

  /**
   * Another page closed one of this instance's tabs (its shell was DELETEd): drop the tab here too,
   * showing a neighbour if it was the one on screen. The server already ended the shell.
   */
  tabClosedElsewhere(name: string, n: number): void {
    this.#dropTab(name, n);
  }

  /** Moves the session's end later (SESSION_EXTEND), up to the longest the server allows. */
  async extend(): Promise<void> {
    const session = this.session;
    if (!session || this.extending) return;
    const visit = this.#visit.current;
    this.extending = true;
    this.extendError = null;
    try {
      const extended = await extendSession(session.id);
      if (!this.#visit.isCurrent(visit) || !this.session) return;
      this.#update({ ...this.session, expiresAt: extended.expiresAt, maxExpiresAt: extended.maxExpiresAt });
    } catch (error) {
      if (this.#visit.isCurrent(visit)) this.extendError = messageOf(error);
    } finally {
      if (this.#visit.isCurrent(visit)) this.extending = false;
    }
  }

  #end(): void {
    this.#leave();
    this.view = { kind: 'ended' };
  }

  /** Stops the timers and requests of the session on screen and forgets it. Safe to call twice. */
  #leave(): void {
    this.#visit.next();
    this.#refresh.stop();
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
}
