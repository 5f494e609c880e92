// `npm run bench [-- --quick] [-- --only <name>]`: the playground's benchmarks (docs/performance.md).
// Brings up what the playground needs (as `npm start` does), starts the server as a child process,
// runs the benchmarks, prints their figures, and, in a full run, writes them into
// docs/performance.md. Always deletes the sessions and sandboxes it made and stops the server.
// Exits non-zero when a benchmark broke (never because a figure is slow).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { buildClientIfChanged } from '../scripts/client-build';
import { runSetup } from '../scripts/setup/run-setup';
import { createDockerClient } from '../server/src/docker/docker-client';
import { sandboxImageRef } from '../server/src/sandbox/image-refs';
import { burst } from './burst';
import { capacity } from './capacity';
import { clusterCapacity } from './cluster-capacity';
import { density } from './density';
import { forgingFlood } from './forging-flood';
import { keystrokeEcho } from './keystroke-echo';
import { ApiClient } from './lib/api-client';
import { parseArgs, USAGE } from './lib/args';
import { launchBrowser } from './lib/browser';
import type { BenchContext, Benchmark } from './lib/context';
import { DirectSandboxes, removeBenchLeftovers } from './lib/direct-sandbox';
import { describeMachine, machineLines, type Machine } from './lib/machine';
import { consoleLines, markdownSection, missedTargets, type BenchResult } from './lib/report';
import { spliceResults } from './lib/results-doc';
import { ServerProcess } from './lib/server-process';
import { now, sleep } from './lib/time';
import { waitForWarmPool, warmPoolSize } from './lib/warm-pool';
import { outputFlood } from './output-flood';
import { saveResume } from './save-resume';
import { timeToPrompt } from './time-to-prompt';

const BENCHMARKS: Benchmark[] = [timeToPrompt, keystrokeEcho, outputFlood, density, burst, forgingFlood, capacity, clusterCapacity, saveResume];
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
/** Hard limits on the whole run: a hung benchmark must not hang `npm test`. */
const WATCHDOG_MS = { quick: 15 * 60_000, full: 90 * 60_000 };

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function machineSummary(machine: Machine): string {
  const gib = (machine.memoryBytes / 1024 ** 3).toFixed(1);
  const load = machine.loadAtStart.map((value) => value.toFixed(2)).join(' / ');
  return `${machine.cores} cores (${machine.cpuModel}), ${gib} GiB, ${machine.os}, kernel ${machine.kernel}, Docker Engine ${machine.dockerVersion}, Node ${machine.node}; load average at start ${load}; server with a warm pool of ${warmPoolSize()}`;
}

async function main(): Promise<number> {
  const names = BENCHMARKS.map((benchmark) => benchmark.name);
  let args;
  try {
    args = parseArgs(process.argv.slice(2), names);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const mode = args.quick ? 'quick run' : 'full run';
  const started = now();

  log('bringing up the engine and images (npm run setup) and the client build');
  await runSetup({ repoRoot: REPO_ROOT, output: process.stderr });
  await buildClientIfChanged(REPO_ROOT, (line) => log(line));

  const docker = createDockerClient(process.env.DOCKER_HOST || undefined);
  const machine = await describeMachine(docker);
  const runId = `${process.pid}x${Date.now().toString(36)}`;
  const stale = await removeBenchLeftovers(docker, (run) => !alive(Number(run.split('x')[0])));
  if (stale) log(`removed ${stale} leftovers of earlier bench runs`);

  const logDir = path.join(tmpdir(), 'playground-bench');
  await mkdir(logDir, { recursive: true });
  const logFile = (n: number) => path.join(logDir, `server-${runId}-${n}.log`);
  log(`starting the server (log: ${logFile(1)})`);
  const servers: ServerProcess[] = [];
  const startServer = async (env: Record<string, string> = {}) => {
    const started = await ServerProcess.start({ repoRoot: REPO_ROOT, logFile: logFile(servers.length + 1), sessionTtl: '30m', env });
    servers.push(started);
    return started;
  };
  const server = await startServer();
  const poolSize = warmPoolSize();
  const api = new ApiClient(server.url);
  const sandboxes = new DirectSandboxes(docker, sandboxImageRef(REPO_ROOT), runId);
  let browser: Promise<Browser> | undefined;

  const cleanup = async () => {
    const errors = await api.deleteAll();
    for (const error of errors) log(`cleanup: ${error}`);
    await sandboxes.removeAll().catch((error: Error) => log(`cleanup of direct sandboxes: ${error.message}`));
  };
  let finalCleanupDone = false;
  const finalCleanup = async () => {
    if (finalCleanupDone) return;
    finalCleanupDone = true;
    await cleanup();
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => {});
    for (const started of servers) await started.stop();
  };
  const abort = (why: string, code: number) => {
    log(`${why}: cleaning up`);
    void finalCleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  const watchdog = setTimeout(() => abort(`the ${mode} took longer than ${WATCHDOG_MS[args.quick ? 'quick' : 'full'] / 60_000} minutes`, 1), WATCHDOG_MS[args.quick ? 'quick' : 'full']);
  watchdog.unref();

  const context: BenchContext = {
    quick: args.quick,
    repoRoot: REPO_ROOT,
    server,
    api,
    poolSize,
    startServer,
    waitForWarmPool: async () => {
      const full = await waitForWarmPool(docker, { size: poolSize, since: server.startedAt, timeoutMs: 60_000 });
      await sleep(300); // the server takes a slot in a moment after its READY line
      return full;
    },
    docker,
    sandboxes,
    machine,
    browser: () => (browser ??= launchBrowser()),
    log,
  };

  const results: BenchResult[] = [];
  const failures: string[] = [];
  try {
    for (const benchmark of BENCHMARKS.filter((candidate) => args.only.includes(candidate.name))) {
      log(`${benchmark.name}: running (${mode})`);
      const benchStarted = now();
      try {
        const outcome = await benchmark.run(context);
        const result = { name: benchmark.name, title: benchmark.title, durationMs: now() - benchStarted, ...outcome };
        results.push(result);
        for (const line of consoleLines(result)) console.log(line);
      } catch (error) {
        const message = `${benchmark.name} FAILED: ${(error as Error).stack ?? error}`;
        failures.push(message);
        console.log(`== ${benchmark.title} (${benchmark.name}) FAILED: ${(error as Error).message}`);
        log(`${message}\nserver log tail:\n${server.logTail}`);
      }
      await cleanup();
    }
  } finally {
    await finalCleanup();
    clearTimeout(watchdog);
  }

  console.log('');
  console.log(`Machine (${mode}, ${((now() - started) / 1000).toFixed(0)} s in total):`);
  for (const line of machineLines(machine)) console.log(`  ${line}`);
  console.log(`  server: warm pool of ${poolSize} (WARM_POOL ${process.env.WARM_POOL ? `= ${process.env.WARM_POOL}` : 'default'}), SESSION_TTL 30m`);
  const missed = results.flatMap(missedTargets);
  console.log(`Targets missed: ${missed.length ? '' : 'none'}`);
  for (const line of missed) console.log(`  - ${line}`);
  const problems = servers.flatMap((started) => started.problems);
  if (problems.length) {
    console.log(`The server logged ${problems.length} warning or error line(s); the first ones:`);
    for (const line of problems.slice(0, 10)) console.log(`  ${line}`);
  }

  if (!args.quick && results.length) {
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const sections = new Map(results.map((result) => [result.name, markdownSection(result, { date, machine: machineSummary(machine), mode })]));
    const doc = await readFile(DOC, 'utf8').catch(() => '# Performance\n');
    await writeFile(DOC, spliceResults(doc, sections, names));
    console.log(`Wrote ${results.length} section(s) into ${path.relative(REPO_ROOT, DOC)}.`);
  }
  if (failures.length) {
    console.log(`${failures.length} benchmark(s) failed: ${failures.map((failure) => failure.split(' ')[0]).join(', ')}`);
    return 1;
  }
  console.log(`${results.length} benchmark(s) ran.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[bench] could not run: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
