/**
 * Running the host's tools (ip, iptables, docker, umount) with their output captured and a time
 * bound on every call: a dockerd that hangs must not hang `up` or `down`. scripts/setup/proc.ts
 * streams merged output lines; here stdout is parsed (`--format` answers), so it stays apart.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SetupError } from '../setup/errors';

export interface CommandResult {
  /** The exit code; -1 when the command could not start or was killed at its time limit. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  /** Killed (SIGKILL) after this long; 30 s unless told. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The sbin directories hold ip, iptables and dockerd; a non-login PATH may lack them. */
export function pathWithSbin(path: string | undefined): string {
  const parts = (path ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter((p) => p !== '');
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!parts.includes(dir)) parts.push(dir);
  return parts.join(':');
}

/** Runs a command to its end; never rejects (a failure is a non-zero code). */
export function tryCommand(command: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // DOCKER_HOST is dropped: every docker call here names its engine with -H, and an inherited one
  // must not turn a call meant for a node into one to another engine.
  const { DOCKER_HOST: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...env, PATH: pathWithSbin(env.PATH) } },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const code = typeof e.code === 'number' ? e.code : -1;
        const why = e.killed ? `\n(killed after ${timeout} ms)` : typeof e.code === 'string' ? `\n(${e.message})` : '';
        resolve({ code, stdout: String(stdout), stderr: `${String(stderr)}${why}` });
      },
    );
  });
}

/** Runs a command; throws a SetupError carrying its output's last lines when it fails. */
export async function mustRun(command: string, args: readonly string[], opts: CommandOptions = {}): Promise<string> {
  const result = await tryCommand(command, args, opts);
  if (result.code !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.split('\n').filter((l) => l.trim() !== '').slice(-15);
    throw new SetupError(`${[command, ...args].join(' ')} failed (exit code ${result.code})`, tail);
  }
  return result.stdout;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a process still runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
