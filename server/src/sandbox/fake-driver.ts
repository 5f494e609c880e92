import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import type { EngineStatsSample } from './instance-stats';
import type { PathStat, SandboxFiles } from './sandbox-files';
import type {
  ExecOptions,
  ExecOutcome,
  InstanceSpec,
  ManagedResource,
  SandboxDriver,
  ShellProcess,
  StartedInstance,
} from './driver';

/** An in-memory Driver for unit tests of the layers above it. Records what it was asked to do. */
export class FakeDriver implements SandboxDriver {
  readonly networks = new Set<string>();
  readonly instances = new Map<string, InstanceSpec>();
  readonly removedSessions: string[] = [];
  readonly removedInstances: string[] = [];
  resources: ManagedResource[] = [];
  failStartWith: Error | undefined;
  /** When set, startInstance waits for it (a sandbox slow to be created). */
  startGate: Promise<void> | undefined;
  /** The next removeSession calls fail with these, one each. */
  failRemoveWith: Error[] = [];
  readyResult: Promise<void> = Promise.resolve();
  private nextId = 1;

  async ping(): Promise<void> {}

  async readinessProblem(): Promise<string | null> {
    return null;
  }

  async createSessionNetwork(sessionKey: string): Promise<void> {
    this.networks.add(sessionKey);
  }

  async startInstance(spec: InstanceSpec): Promise<StartedInstance> {
    if (this.failStartWith) throw this.failStartWith;
    await this.startGate;
    const containerId = `container-${this.nextId++}`;
    this.instances.set(containerId, spec);
    return { containerId, ip: `10.0.0.${this.nextId}` };
  }

  readonly claimed: string[] = [];
  failClaimWith: Error | undefined;

  async claimInstance(sessionKey: string, name: string): Promise<void> {
    if (this.failClaimWith) throw this.failClaimWith;
    this.claimed.push(`${sessionKey}/${name}`);
  }

  waitUntilReady(): Promise<void> {
    return this.readyResult;
  }

  async exec(_containerId: string, cmd: string[], _options: ExecOptions): Promise<ExecOutcome> {
    return { exitCode: 0, stdout: cmd.join(' '), stderr: '', timedOut: false, truncated: false };
  }

  /** Names of the shells ended with endShell, as `containerId/name`. */
  readonly endedShells: string[] = [];

  /** Every shell opened, in order (a test drives its output and exit). */
  readonly shells: Array<{ containerId: string; name: string; shell: FakeShell }> = [];

  /** When set, openShell fails with it (a sandbox stopped from outside, an engine gone). */
  failShellWith: Error | undefined;

  async openShell(containerId: string, _size: { cols: number; rows: number }, name: string): Promise<ShellProcess> {
    if (this.failShellWith) throw this.failShellWith;
    const shell = new FakeShell();
    this.shells.push({ containerId, name, shell });
    return shell;
  }

  async endShell(containerId: string, name: string): Promise<void> {
    this.endedShells.push(`${containerId}/${name}`);
  }

  async removeSession(sessionKey: string): Promise<void> {
    const failure = this.failRemoveWith.shift();
    if (failure) throw failure;
    this.removedSessions.push(sessionKey);
    this.networks.delete(sessionKey);
    for (const [id, spec] of this.instances) if (spec.sessionKey === sessionKey) this.instances.delete(id);
  }

  readonly restarted: string[] = [];

  async restartInstance(containerId: string): Promise<{ ip: string }> {
    this.restarted.push(containerId);
    return { ip: '10.0.0.9' };
  }

  async statsSample(): Promise<EngineStatsSample> {
    return { memory_stats: { usage: 1, limit: 2 } };
  }

  /** False: a driver without instance disks (SANDBOX_DISK=0), which cannot save. */
  keepsDisks = true;

  /** Writes "<sessionKey>/<name>" as the copied disk: enough for a test to see what was saved. */
  async copyInstanceDisk(sessionKey: string, name: string, destination: string): Promise<boolean> {
    if (!this.keepsDisks) return false;
    await writeFile(destination, `${sessionKey}/${name}`);
    return true;
  }

  async removeInstance(sessionKey: string, name: string): Promise<void> {
    this.removedInstances.push(`${sessionKey}/${name}`);
    for (const [id, spec] of this.instances) if (spec.sessionKey === sessionKey && spec.name === name) this.instances.delete(id);
  }

  /** Disk sweeps asked for. */
  orphanDiskSweeps = 0;

  async sweepOrphanDisks(): Promise<number> {
    this.orphanDiskSweeps++;
    return 0;
  }

  /** Sandboxes "running" as far as sandboxPid is concerned: their container id and a pid. */
  readonly pids = new Map<string, number>();

  async sandboxPid(containerId: string): Promise<number | undefined> {
    return this.pids.get(containerId);
  }

  readonly files = new FakeFiles();

  async listManaged(): Promise<ManagedResource[]> {
    return this.resources;
  }
}

/** A shell whose output the test writes with emit() and whose input it reads from `written`. */
export class FakeShell implements ShellProcess {
  readonly stream = new PassThrough();
  readonly written: string[] = [];
  readonly sizes: Array<[number, number]> = [];
  attachNoise?: Buffer;
  private finish!: (code: number | null) => void;
  readonly exited = new Promise<number | null>((resolve) => (this.finish = resolve));

  constructor() {
    // Input written by the terminal is captured, not echoed back as output.
    this.stream.write = ((chunk: string | Buffer) => {
      this.written.push(chunk.toString());
      return true;
    }) as typeof this.stream.write;
  }

  emit(text: string | Buffer): void {
    this.stream.push(typeof text === 'string' ? Buffer.from(text) : text);
  }

  exit(code: number | null): void {
    this.finish(code);
  }

  async resize(cols: number, rows: number): Promise<void> {
    this.sizes.push([cols, rows]);
  }
}

/** Stats of paths that "exist" (by container id and path); no file contents: archives are refused. */
export class FakeFiles implements SandboxFiles {
  readonly stats = new Map<string, PathStat>();

  async stat(containerId: string, path: string): Promise<PathStat | undefined> {
    return this.stats.get(`${containerId}:${path}`);
  }

  async archive(): Promise<Readable> {
    throw new Error('the fake driver keeps no file contents');
  }

  async extract(): Promise<void> {
    throw new Error('the fake driver keeps no file contents');
  }
}
