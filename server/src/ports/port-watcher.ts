import { readFile } from 'node:fs/promises';
import type { Logger } from '../log';
import type { SandboxDriver } from '../sandbox/driver';
import type { SessionService } from '../sessions/session-service';
import { listeningPorts } from './listening-ports';

export interface PortWatcherOptions {
  driver: SandboxDriver;
  sessions: SessionService;
  logger: Logger;
  /** How often listeners are read (a published port shows within about this long). */
  intervalMs: number;
}

/**
 * Keeps each running instance's `ports` current: about once a second it reads the TCP listeners of
 * the instance's network namespace from the host (/proc/<sandbox pid>/net/tcp and tcp6). That
 * needs no exec in the sandbox, so it costs the engine nothing; it needs the server on the engine's
 * host, as the firewall, disks and cgroups already do. A `docker run -p` inside shows up because the
 * nested docker-proxy listens in that namespace.
 */
export class PortWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Init pid of each sandbox container, asked once (a restart makes a new container id or pid). */
  private readonly pids = new Map<string, number>();

  constructor(private readonly options: PortWatcherOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.scan(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every instance; overlapping passes are skipped. */
  async scan(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const live = new Set<string>();
      for (const session of this.options.sessions.list()) {
        for (const instance of session.instances.values()) {
          if (instance.state === 'stopped') continue;
          live.add(instance.containerId);
          const ports = await this.portsOf(instance.containerId);
          if (ports) instance.ports = ports;
        }
      }
      for (const containerId of this.pids.keys()) if (!live.has(containerId)) this.pids.delete(containerId);
    } finally {
      this.running = false;
    }
  }

  private async portsOf(containerId: string): Promise<number[] | undefined> {
    let pid = this.pids.get(containerId);
    if (!pid) {
      pid = await this.options.driver.sandboxPid(containerId).catch(() => undefined);
      if (!pid) return undefined;
      this.pids.set(containerId, pid);
    }
    try {
      const [v4, v6] = await Promise.all([
        readFile(`/proc/${pid}/net/tcp`, 'utf8'),
        readFile(`/proc/${pid}/net/tcp6`, 'utf8').catch(() => ''),
      ]);
      return listeningPorts(v4, v6);
    } catch {
      this.pids.delete(containerId); // the process is gone (stopped, restarted): ask again next time
      return undefined;
    }
  }
}
