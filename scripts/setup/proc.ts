import { spawn, type SpawnOptions } from 'node:child_process';
import { SetupError } from './errors';
import { LineSplitter, TailBuffer } from './tail-buffer';

export interface RunOptions {
  /** Each line of stdout and stderr, as it comes. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the process (SIGTERM, then SIGKILL) after this long. */
  timeoutMs?: number;
  /** How many output lines to keep for the error report. */
  tailLines?: number;
}

export interface RunResult {
  code: number;
  tail: string[];
}

/**
 * Runs a command to completion, streaming its output line by line; rejects with a SetupError that
 * carries the output's tail when it cannot start, exits non-zero or times out.
 */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const tail = new TailBuffer(opts.tailLines ?? 30);
    const onLine = (line: string) => {
      tail.push(line);
      opts.onLine?.(line);
    };
    const spawnOpts: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd };
    const child = spawn(command, args, spawnOpts);
    const out = new LineSplitter(onLine);
    const err = new LineSplitter(onLine);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => err.push(d));
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }, opts.timeoutMs);
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new SetupError(`cannot run ${command}: ${e.message}`, tail.get(), { cause: e }));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      out.end();
      err.end();
      const cmd = [command, ...args].join(' ');
      if (timedOut) return reject(new SetupError(`${cmd} did not finish within ${opts.timeoutMs} ms`, tail.get()));
      if (code !== 0) {
        return reject(new SetupError(`${cmd} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`, tail.get()));
      }
      resolve({ code: 0, tail: tail.get() });
    });
  });
}

/** Whether an executable exists on PATH (plus the sbin directories, which a non-login PATH may lack). */
export async function which(name: string): Promise<string | undefined> {
  const { access, constants } = await import('node:fs/promises');
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = `${dir}/${name}`;
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}
