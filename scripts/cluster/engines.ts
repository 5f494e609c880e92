/**
 * The nodes' Docker engines: one dockerd per network namespace, started detached (it outlives
 * `npm run cluster up`), found again later by its own socket in its command line, never by name:
 * the main engine's dockerd runs on the same machine and must never be signalled.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileTail } from '../setup/engine';
import { SetupError } from '../setup/errors';
import { which } from '../setup/proc';
import { dockerdArgs, engineCommand, ENGINE_ENV, RUN_ROOT, type NodePlan } from './cluster-plan';
import { pathWithSbin, processAlive, sleep, tryCommand } from './commands';
import type { Progress } from './progress';

const START_TIMEOUT_MS = 60_000;
const PING_TIMEOUT_MS = 3_000;
/** dockerd stops its containers (15 s each at most, in parallel) and containerd before it exits. */
const STOP_TIMEOUT_MS = 45_000;
const KILL_TIMEOUT_MS = 10_000;

function commandLine(pid: number): Promise<string[]> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').then(
    (text) => text.split('\0').filter((a) => a !== ''),
    () => [],
  );
}

/** The dockerd processes serving this node's socket (normally one). */
export async function enginePids(node: NodePlan): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await commandLine(Number(entry));
    if (argv[0] && basename(argv[0]) === 'dockerd' && argv.includes(node.dockerHost)) pids.push(Number(entry));
  }
  return pids;
}

/** Whether a running dockerd was started with exactly this plan's arguments and environment (a changed plan means rebuild). */
export async function engineMatchesPlan(pid: number, node: NodePlan): Promise<boolean> {
  const argv = await commandLine(pid);
  const environ = (await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')).split('\0');
  return JSON.stringify(argv.slice(1)) === JSON.stringify(dockerdArgs(node)) && Object.entries(ENGINE_ENV).every(([k, v]) => environ.includes(`${k}=${v}`));
}

/** The engine's version when it answers on its socket within the time limit. */
export async function engineVersion(node: NodePlan, timeoutMs = PING_TIMEOUT_MS): Promise<string | undefined> {
  const r = await tryCommand('docker', ['-H', node.dockerHost, 'version', '--format', '{{.Server.Version}}'], { timeoutMs });
  return r.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
}

interface Started {
  readonly node: NodePlan;
  readonly pid: number | undefined;
  exited?: string;
}

function startEngine(node: NodePlan, dockerd: string, progress: Progress): Started {
  const log = openSync(node.logPath, 'a');
  try {
    const { command, args } = engineCommand(node, dockerd);
    writeSync(log, `\n=== ${new Date().toISOString()} npm run cluster up: ${command} ${args.join(' ')}\n`);
    const { DOCKER_HOST: _ignored, ...env } = process.env;
    // detached: its own session, so Ctrl-C on `npm run cluster` does not stop the engines.
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...env, ...ENGINE_ENV, PATH: pathWithSbin(env.PATH) } });
    const started: Started = { node, pid: child.pid };
    child.on('error', (e) => (started.exited = `could not start nsenter/dockerd: ${e.message}`));
    child.on('exit', (code, signal) => (started.exited = `dockerd exited (${signal ? `signal ${signal}` : `exit code ${code}`})`));
    child.unref();
    progress.line(`node ${node.index}: started dockerd (pid ${child.pid}) in ${node.netns}; log ${node.logPath}`);
    return started;
  } finally {
    closeSync(log);
  }
}

async function waitForEngine(started: Started, progress: Progress): Promise<void> {
  const { node } = started;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let attempt = 0; attempt < 200 && Date.now() < deadline; attempt++) {
    if (started.exited) break;
    const version = await engineVersion(node);
    if (version) {
      progress.line(`node ${node.index}: Docker Engine ${version} answers on ${node.dockerHost}`);
      return;
    }
    await sleep(250);
  }
  throw new SetupError(
    `node ${node.index}: ${started.exited ?? `dockerd did not answer on ${node.dockerHost} within ${START_TIMEOUT_MS / 1000} s`}; see ${node.logPath}`,
    await thisRunsLog(node.logPath),
  );
}

/** The last lines the engine logged since `up` started it (the log is appended to across runs). */
async function thisRunsLog(logPath: string): Promise<string[]> {
  const lines = await fileTail(logPath, 200);
  const start = lines.map((l) => l.startsWith('=== ')).lastIndexOf(true);
  return lines.slice(start + 1).slice(-20);
}

/** Starts the three engines side by side and waits until each answers. */
export async function startEngines(nodes: readonly NodePlan[], progress: Progress): Promise<void> {
  const dockerd = await which('dockerd');
  if (!dockerd) throw new SetupError('dockerd is not installed (npm run setup installs Debian\'s docker.io)');
  await mkdir(RUN_ROOT, { recursive: true, mode: 0o700 });
  const started: Started[] = [];
  for (const node of nodes) {
    await mkdir(node.dataRoot, { recursive: true, mode: 0o711 });
    // Empty on purpose: a host's /etc/docker/daemon.json belongs to the main engine.
    await writeFile(node.configFile, '{}\n');
    started.push(startEngine(node, dockerd, progress));
  }
  await Promise.all(started.map((s) => waitForEngine(s, progress)));
}


/** Sends a signal to each pid, then waits (bounded) until they are gone; returns those still alive. */
export async function signalAndWait(pids: readonly number[], signal: NodeJS.Signals, timeoutMs: number): Promise<number[]> {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(processAlive);
  for (let i = 0; i < 1000 && left.length > 0 && Date.now() < deadline; i++) {
    await sleep(200);
    left = left.filter(processAlive);
  }
  return left;
}

/** Stops the nodes' dockerds: SIGTERM (they stop their containers), then SIGKILL after a bounded wait. */
export async function stopEngines(nodes: readonly NodePlan[], progress: Progress): Promise<string[]> {
  const pids = (await Promise.all(nodes.map(enginePids))).flat();
  if (pids.length === 0) return [];
  progress.line(`stopping dockerd ${pids.join(', ')} (SIGTERM, up to ${STOP_TIMEOUT_MS / 1000} s)`);
  let left = await signalAndWait(pids, 'SIGTERM', STOP_TIMEOUT_MS);
  if (left.length > 0) {
    progress.line(`dockerd ${left.join(', ')} still running: SIGKILL`);
    left = await signalAndWait(left, 'SIGKILL', KILL_TIMEOUT_MS);
  }
  return left.map((pid) => `dockerd pid ${pid}`);
}

/** Kills what a stopped engine may leave (containerd, shims, container processes); returns the survivors. */
export async function killLeftovers(pids: readonly number[], progress: Progress): Promise<string[]> {
  const own = new Set([process.pid, process.ppid]);
  const targets = [...new Set(pids)].filter((pid) => !own.has(pid) && processAlive(pid));
  if (targets.length === 0) return [];
  progress.line(`killing ${targets.length} leftover process(es) of the nodes: ${targets.join(', ')}`);
  const left = await signalAndWait(targets, 'SIGKILL', KILL_TIMEOUT_MS);
  return left.map((pid) => `process ${pid}`);
}
