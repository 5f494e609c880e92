import type { Duplex } from 'node:stream';
import type { EngineStatsSample } from './instance-stats';
import type { ResourceRole } from './labels';
import type { SandboxFiles } from './sandbox-files';

// The Driver is the only way into Docker: only its Docker implementation (server/src/docker/)
// imports dockerode (architecture.test.ts fails otherwise). Everything above it (sessions, reaper,
// terminals, files, ports, HTTP) depends on this interface, so unit tests can use a fake.

export interface InstanceSpec {
  sessionKey: string;
  /** node1, node2, ...: also the hostname and the DNS alias on the session network. */
  name: string;
  expiresAt: Date;
  createdAt: Date;
  /** Made ahead of need for the warm pool: named as pooled until claimInstance. */
  pooled?: boolean;
  /** A saved disk image to start from (a resumed or forked session): copied, never changed. */
  seedDisk?: string;
}

export interface StartedInstance {
  containerId: string;
  /** Address on the session network. */
  ip: string;
}

export interface ExecOptions {
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface ExecOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
}

/** An interactive shell with a TTY. `stream` carries input (write) and output (data events). */
export interface ShellProcess {
  readonly stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the shell's exit code once it has ended (null when unknown). */
  readonly exited: Promise<number | null>;
  /**
   * What attaching prints before any output of the shell (the sandbox's shell holder clears the
   * screen as it attaches): dropped when the output starts with it, or the screen a restarted
   * server replays would be wiped.
   */
  readonly attachNoise?: Buffer;
}

/** One Docker resource that carries the playground's labels. */
export interface ManagedResource {
  kind: 'container' | 'network' | 'volume';
  id: string;
  role: ResourceRole | string;
  sessionKey: string | undefined;
  /** The playground that made it (PLAYGROUND_NAME; "default" for resources older than the label). */
  owner: string;
  instance: string | undefined;
  expiresAt: Date | undefined;
  createdAt: Date | undefined;
  /** Containers only: running or not. */
  running: boolean;
  /** Containers only: the address on the session network. */
  ip: string;
  /** Containers only: a warm-pool sandbox never handed to a session. */
  pooled: boolean;
}

export interface SandboxDriver {
  /** Answers when the engine does; rejects with EngineUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Why the playground cannot serve now (engine, image, mirror), or null when it can. */
  readinessProblem(): Promise<string | null>;
  /** Creates the session's private network. Safe to call once per session. */
  createSessionNetwork(sessionKey: string, expiresAt: Date, createdAt: Date): Promise<void>;
  /** Creates and starts a sandbox. On failure removes what it made and rethrows. */
  startInstance(spec: InstanceSpec): Promise<StartedInstance>;
  /** Hands a pooled sandbox to its session (renames it). Rejects if it is gone. */
  claimInstance(sessionKey: string, name: string): Promise<void>;
  /**
   * Resolves once Docker inside the sandbox answers; rejects on failure or timeout. `since`: only
   * log lines from then on count (after a restart, the log still holds the earlier ready line).
   */
  waitUntilReady(containerId: string, timeoutMs: number, since?: Date): Promise<void>;
  /** Restarts a sandbox (its Docker data stays). Resolves with its address once it runs again. */
  restartInstance(containerId: string, sessionKey: string): Promise<{ ip: string }>;
  /** One sample of the engine's stats for a sandbox. */
  statsSample(containerId: string): Promise<EngineStatsSample>;
  exec(containerId: string, cmd: string[], options: ExecOptions): Promise<ExecOutcome>;
  /**
   * Attaches to the sandbox's login shell called `name`, starting it if it is not running. The shell
   * outlives the returned process (a restarted server attaches to it again); endShell ends it.
   */
  openShell(containerId: string, size: { cols: number; rows: number }, name: string): Promise<ShellProcess>;
  /** Ends the shell called `name` and its jobs. Resolves also when there was none. */
  endShell(containerId: string, name: string): Promise<void>;
  /**
   * Removes every container, network and volume labelled with this session. Idempotent: what is
   * already gone counts as removed. Resolves once all of it is gone.
   */
  removeSession(sessionKey: string): Promise<void>;
  /**
   * Writes a copy of the instance's disk (its Docker data and files) to `destination`, consistent:
   * the sandbox is paused while its file system is flushed and copied, then goes on as it was (its
   * shells and containers keep running). False when this driver keeps no instance disks to copy.
   */
  copyInstanceDisk(sessionKey: string, name: string, destination: string): Promise<boolean>;
  /** Removes one instance's sandbox and Docker data. Idempotent. */
  removeInstance(sessionKey: string, name: string): Promise<void>;
  /** Everything on the engine that carries the playground's session labels. */
  listManaged(): Promise<ManagedResource[]>;
  /** Removes instance disks no sandbox of this playground uses any more; how many. */
  sweepOrphanDisks(): Promise<number>;
  /**
   * The sandbox's first process as this host sees it (its network namespace lists the ports it
   * listens on), or undefined when it is not running.
   */
  sandboxPid(containerId: string): Promise<number | undefined>;
  /** Files in and out of sandboxes. */
  readonly files: SandboxFiles;
}
