import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { sessionLogName } from '../../server/src/log';
import { sessionKey } from '../../server/src/sessions/session-key';
import { readProcessMemory, resetPeakMemory, type ProcessMemory } from './proc-status';
import { sleep, withTimeout } from './time';

export interface ServerProcessOptions {
  repoRoot: string;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  sessionTtl?: string;
  /** More environment for the server (e.g. WARM_POOL). */
  env?: Record<string, string>;
  /** How long the server may take to answer /api/health with 200. */
  startTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel; a race with another process is possible but rare). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The playground server as a child process: `node --import tsx server/src/main.ts`, spawned
 * directly (no npx or tsx wrapper), so `pid` is the node process that serves and its memory can be
 * read from /proc. Lines the server logs at warn or error level are kept for the report.
 */
export class ServerProcess {
  readonly problems: string[] = [];
  /** When the process was spawned. */
  readonly startedAt = new Date();
  /** Log names (sessionLogName) of sessions the server said it made from its warm pool. */
  readonly #warmSessions = new Set<string>();
  #child: ChildProcess;
  #exited: Promise<number | null>;
  #tail: string[] = [];

  private constructor(
    readonly url: string,
    child: ChildProcess,
    logFile: string,
  ) {
    this.#child = child;
    const log = createWriteStream(logFile, { flags: 'a' });
    let partial = '';
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        this.#tail.push(line);
        if (this.#tail.length > 50) this.#tail.shift();
        const warm = / session created from the warm pool session=(\S+)/.exec(line);
        if (warm) this.#warmSessions.add(warm[1]!);
        if (/^\S+ (warn|error) /.test(line) || /Error|Unhandled|uncaught/i.test(line)) this.problems.push(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.#exited = new Promise((resolve) => child.once('exit', (code) => (log.end(), resolve(code))));
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freeLoopbackPort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
      cwd: options.repoRoot,
      // The per-client rate and session cap are off: every bench client is 127.0.0.1, and the burst
      // measures the engine, not admission.
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SESSION_TTL: options.sessionTtl ?? '30m', SESSION_RATE_LIMIT: '0', MAX_SESSIONS_PER_CLIENT: '0', REGISTRY_CACHE: 'off', PLAYGROUND_NAME: `bench-${port}`, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(`http://127.0.0.1:${port}`, child, options.logFile);
    try {
      await server.#waitHealthy(options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** The last lines the server logged (for error messages). */
  get logTail(): string {
    return this.#tail.slice(-15).join('\n');
  }

  /** True when the server logged that it made this session from its warm pool. */
  servedWarm(sessionId: string): boolean {
    return this.#warmSessions.has(sessionLogName(sessionKey(sessionId)));
  }

  memory(): Promise<ProcessMemory> {
    return readProcessMemory(this.pid);
  }

  /** Resets VmHWM to the current RSS; false where the kernel does not allow it. */
  resetPeak(): Promise<boolean> {
    return resetPeakMemory(this.pid);
  }

  async #waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    let exited = false;
    void this.#exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the server exited during start-up:\n${this.logTail}`);
      try {
        const response = await withTimeout(fetch(`${this.url}/api/health`), 5_000, 'health check');
        const body = await response.text();
        if (response.ok) return;
        last = `${response.status} ${body}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(200);
    }
    throw new Error(`the server did not become healthy within ${timeoutMs / 1000} s (last answer: ${last}):\n${this.logTail}`);
  }

  /** SIGTERM, then SIGKILL after 10 s. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const code = await Promise.race([this.#exited, sleep(10_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.#child.kill('SIGKILL');
      await this.#exited;
    }
  }
}
