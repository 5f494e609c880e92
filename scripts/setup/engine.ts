import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { aptInstall } from './apt';
import { errorMessage, SetupError } from './errors';
import { isDebianLike, isRoot, readOsRelease } from './os-release';
import { which } from './proc';
import type { StepProgress, StepResult } from './reporter';
import {
  DOCKERD_ARGS,
  engineRemapsUsers,
  ensureRemapUser,
  startedBySetup,
  stopAndWait,
  userNamespaceMessage,
} from './user-namespaces';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
export const DOCKERD_LOG_PATH = '/var/log/playground-dockerd.log';
const START_TIMEOUT_MS = 60_000;
/** The Engine API version that has CgroupnsMode (Docker 20.10). */
const MIN_API_VERSION = '1.41';

export interface EngineOptions {
  /** The DOCKER_HOST the client uses (undefined: the default socket). */
  dockerHost?: string;
  /** Install docker.io and start dockerd when no engine answers (root on Debian/Ubuntu only). */
  allowStart?: boolean;
}

/** Whether the engine answers, within `timeoutMs`. Never throws. */
export async function pingEngine(docker: Dockerode, timeoutMs = 3000): Promise<{ ok: true } | { ok: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Step 1: make sure a Docker engine answers. When none does and we are root on Debian/Ubuntu using
 * the default socket: install docker.io if dockerd is missing, start dockerd in the background
 * (log in /var/log/playground-dockerd.log) and wait until it answers. Elsewhere: stop with what to
 * install or start.
 */
export async function ensureEngine(docker: Dockerode, progress: StepProgress, opts: EngineOptions = {}): Promise<StepResult> {
  const first = await pingEngine(docker);
  const where = opts.dockerHost ? `DOCKER_HOST=${opts.dockerHost}` : `unix://${DEFAULT_DOCKER_SOCKET}`;
  if (first.ok) {
    if (process.env.SANDBOX_USERNS === 'off' || (await engineRemapsUsers(docker))) {
      return { note: `running (${await describeEngine(docker)})` };
    }
    // An engine this set-up started earlier, without user namespaces: restart it with them.
    const pid = await runningDockerdPid();
    if (pid === undefined || !(await startedBySetup(pid, DOCKERD_LOG_PATH)) || opts.allowStart === false) {
      throw new SetupError(userNamespaceMessage(where));
    }
    progress.line(`restarting the dockerd this set-up started (pid ${pid}) with user namespaces (${DOCKERD_ARGS.join(' ')}); its containers stop`);
    if (!(await stopAndWait(pid, START_TIMEOUT_MS))) throw new SetupError(`dockerd (pid ${pid}) did not stop within ${START_TIMEOUT_MS / 1000} s`);
  }

  const usesDefaultSocket = !opts.dockerHost || opts.dockerHost === `unix://${DEFAULT_DOCKER_SOCKET}`;
  const error = first.ok ? 'restarting' : first.error;
  if (/EACCES|permission denied/i.test(error)) {
    throw new SetupError(
      `The Docker engine at ${where} refuses this user (${error}). Run the set-up as root, or add this user to the "docker" group and log in again.`,
    );
  }
  if (!usesDefaultSocket) {
    throw new SetupError(`No Docker engine answers at ${where} (${error}). Start that engine, or unset DOCKER_HOST to use the local one.`);
  }
  const os = await readOsRelease();
  if (!os || !isDebianLike(os) || !isRoot() || opts.allowStart === false) {
    throw new SetupError(noEngineMessage(where, error, os !== undefined && isDebianLike(os), isRoot()));
  }

  if (!first.ok) progress.line(`no Docker engine answers at ${where} (${first.error})`);
  let dockerd = await which('dockerd');
  if (!dockerd) {
    progress.line('dockerd is not installed: installing Debian\'s docker.io package');
    await aptInstall(['docker.io'], progress);
    dockerd = await which('dockerd');
    if (!dockerd) throw new SetupError('docker.io was installed but there is still no dockerd on PATH');
  }

  if (process.env.SANDBOX_USERNS !== 'off') await ensureRemapUser(progress);
  const running = await runningDockerdPid();
  let exited: string | undefined;
  if (running !== undefined) {
    progress.line(`dockerd is already running (pid ${running}) but does not answer yet: waiting for it`);
  } else {
    const log = openSync(DOCKERD_LOG_PATH, 'a');
    try {
      const args = process.env.SANDBOX_USERNS === 'off' ? [] : [...DOCKERD_ARGS];
      const child = spawn(dockerd, args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, PATH: withSbin(process.env.PATH) },
      });
      child.on('error', (e) => {
        exited = `could not start ${dockerd}: ${e.message}`;
      });
      child.on('exit', (code, signal) => {
        exited = `dockerd exited (${signal ? `signal ${signal}` : `exit code ${code}`})`;
      });
      child.unref();
      progress.line(`started ${[dockerd, ...args].join(' ')} in the background (pid ${child.pid}); its log: ${DOCKERD_LOG_PATH}`);
    } finally {
      closeSync(log);
    }
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await pingEngine(docker, 2000)).ok) return { note: `started (${await describeEngine(docker)})` };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SetupError(
    `${exited ?? `dockerd did not answer within ${START_TIMEOUT_MS / 1000} s`}; see ${DOCKERD_LOG_PATH}`,
    await fileTail(DOCKERD_LOG_PATH, 30),
  );
}

async function describeEngine(docker: Dockerode): Promise<string> {
  const v = await docker.version();
  if (compareVersions(v.ApiVersion, MIN_API_VERSION) < 0) {
    throw new SetupError(
      `Docker Engine ${v.Version} (API ${v.ApiVersion}) is too old: the sandboxes need API ${MIN_API_VERSION} (Docker 20.10) or newer.`,
    );
  }
  return `Docker Engine ${v.Version}, API ${v.ApiVersion}`;
}

/** Compares dotted numeric versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function noEngineMessage(where: string, error: string, debianLike: boolean, root: boolean): string {
  const lines = [`No Docker engine answers at ${where} (${error}).`];
  if (debianLike && !root) {
    lines.push(
      'Run the set-up as root (e.g. `sudo npx tsx scripts/setup.ts`): it then installs Debian\'s docker.io package if needed and starts dockerd.',
      'Or do it yourself: `sudo apt-get install -y docker.io`, then `sudo systemctl start docker` (or `sudo dockerd &` where there is no systemd).',
    );
  } else {
    lines.push(
      'Install Docker Engine 20.10 or newer (https://docs.docker.com/engine/install/; on Debian/Ubuntu: `apt-get install -y docker.io`),',
      'start it (`sudo systemctl start docker`, or run `dockerd` as root in the background where there is no systemd),',
      'make sure this user may use its socket (root, or a member of the "docker" group), then run the set-up again.',
    );
  }
  return lines.join('\n');
}

async function runningDockerdPid(): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile('/var/run/docker.pid', 'utf8')).trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    return comm === 'dockerd' ? pid : undefined;
  } catch {
    return undefined;
  }
}

function withSbin(path: string | undefined): string {
  const parts = (path ?? '/usr/local/bin:/usr/bin:/bin').split(':');
  for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!parts.includes(d)) parts.push(d);
  return parts.join(':');
}

/** The last `lines` lines of a file (reading at most its last 64 KiB); [] when unreadable. */
export async function fileTail(path: string, lines: number): Promise<string[]> {
  if (!existsSync(path)) return [];
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    const { size } = await fh.stat();
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf.toString('utf8').split('\n').filter((l) => l !== '').slice(-lines);
  } catch {
    return [];
  } finally {
    await fh?.close();
  }
}
