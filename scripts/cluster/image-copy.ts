/**
 * The playground's images, copied from the main engine into the nodes: nothing can be pulled on
 * these machines, so a node has only what is loaded into it. One `docker save` streams into the
 * `docker load` of every node that lacks the same images at once (no temporary file; the save is
 * read once and the slowest load sets the pace). A node that already holds an image with the same
 * id is skipped, which makes a second `up` a quick check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BASE_SUITES, MIRROR_IMAGES, REGISTRY_IMAGE, SANDBOX_IMAGE } from '../../server/src/sandbox/image-definitions';
import { baseImageRef, builtImageRef } from '../../server/src/sandbox/image-refs';
import { SetupError } from '../setup/errors';
import { TailBuffer } from '../setup/tail-buffer';
import { MAIN_DOCKER_HOST, type NodePlan } from './cluster-plan';
import { pathWithSbin, tryCommand } from './commands';
import type { Progress } from './progress';

const COPY_TIMEOUT_MS = 20 * 60_000;
const PROGRESS_EVERY_MS = 10_000;

export interface WantedImage {
  readonly ref: string;
  /** Without it a node cannot run the playground: `up` stops when the main engine lacks it. */
  readonly required: boolean;
}

/** The images the project builds (scripts/setup), by the tags their definitions give them. */
export function projectImages(repoRoot: string): WantedImage[] {
  const mirrors = MIRROR_IMAGES.flatMap((m) => (m.source.kind === 'build' ? [builtImageRef(repoRoot, m.source.image)] : []));
  return [
    // The sandboxes, and the registry image (the mirror and every session's own registry).
    { ref: builtImageRef(repoRoot, SANDBOX_IMAGE), required: true },
    { ref: builtImageRef(repoRoot, REGISTRY_IMAGE), required: true },
    // What the mirror serves and what the images are built from: with them a node's `npm run setup`
    // has nothing to build.
    ...mirrors.map((ref) => ({ ref, required: false })),
    ...BASE_SUITES.map((suite) => ({ ref: baseImageRef(repoRoot, suite), required: false })),
  ];
}

/** repository:tag -> image id, of one engine. */
export async function imageIds(dockerHost: string): Promise<Map<string, string>> {
  const r = await tryCommand('docker', ['-H', dockerHost, 'images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new SetupError(`cannot list the images of ${dockerHost}`, [r.stderr.trim()]);
  const ids = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [ref, id] = line.trim().split(' ');
    if (ref && id && !ref.includes('<none>')) ids.set(ref, id);
  }
  return ids;
}

/** The wanted images the main engine has; throws when a required one is missing. */
export async function sourceImages(repoRoot: string, progress: Progress): Promise<Map<string, string>> {
  const main = await imageIds(MAIN_DOCKER_HOST);
  const found = new Map<string, string>();
  const missingRequired: string[] = [];
  for (const image of projectImages(repoRoot)) {
    const id = main.get(image.ref);
    if (id) found.set(image.ref, id);
    else if (image.required) missingRequired.push(image.ref);
    else progress.line(`images: the main engine has no ${image.ref}; the nodes go without it`);
  }
  if (missingRequired.length > 0) {
    throw new SetupError(`the main engine (${MAIN_DOCKER_HOST}) lacks ${missingRequired.join(', ')}: run \`npm run setup\` first`);
  }
  return found;
}

function spawnDocker(args: readonly string[], stdin: 'ignore' | 'pipe'): ChildProcess {
  const { DOCKER_HOST: _ignored, ...env } = process.env;
  return spawn('docker', [...args], { stdio: [stdin, 'pipe', 'pipe'], env: { ...env, PATH: pathWithSbin(env.PATH) } });
}

interface Finished {
  readonly label: string;
  readonly code: number | null;
  readonly tail: string[];
}

function finished(child: ChildProcess, label: string, keepStdout: boolean): Promise<Finished> {
  const tail = new TailBuffer(10);
  child.stderr?.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter((l) => l.trim()).forEach((l) => tail.push(l)));
  // `docker load` prints "Loaded image: ..." on stdout: kept for the error report only.
  if (keepStdout) child.stdout?.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter((l) => l.trim()).forEach((l) => tail.push(l)));
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ label, code: -1, tail: [...tail.get(), e.message] }));
    child.on('close', (code) => resolve({ label, code, tail: tail.get() }));
  });
}

/**
 * `docker save refs | docker load` into each of `nodes` at once. Back-pressure: the save is paused
 * while any load is behind; a load that dies is dropped from the fan-out (and reported).
 */
async function streamImages(refs: readonly string[], nodes: readonly NodePlan[], progress: Progress): Promise<void> {
  const save = spawnDocker(['-H', MAIN_DOCKER_HOST, 'save', ...refs], 'ignore');
  const loads = nodes.map((node) => ({ node, child: spawnDocker(['-H', node.dockerHost, 'load'], 'pipe') }));
  const results = Promise.all([finished(save, 'docker save', false), ...loads.map((l) => finished(l.child, `docker load into node ${l.node.index}`, true))]);

  const source = save.stdout!;
  const active = new Set(loads.map((l) => l.child.stdin!));
  const waiting = new Set<NodeJS.WritableStream>();
  const release = (sink: NodeJS.WritableStream) => {
    waiting.delete(sink);
    if (waiting.size === 0) source.resume();
  };
  for (const sink of active) {
    sink.on('drain', () => release(sink));
    const drop = () => {
      active.delete(sink);
      release(sink);
    };
    sink.on('error', drop);
    sink.on('close', drop);
  }
  let bytes = 0;
  let streamed = false;
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (const sink of active) if (!sink.write(chunk)) waiting.add(sink);
    if (waiting.size > 0) source.pause();
  });
  source.on('end', () => {
    streamed = true;
    for (const sink of active) sink.end();
  });

  const started = Date.now();
  const ticker = setInterval(() => {
    const mb = (bytes / 1e6).toFixed(0);
    const targets = `node ${nodes.map((n) => n.index).join(', ')}`;
    // docker save (20.10) gathers the layers before its first byte, and docker load unpacks after its last.
    if (bytes === 0) progress.line('images: docker save is gathering the layers');
    else if (streamed) progress.line(`images: all ${mb} MB streamed; ${targets} still unpacking`);
    else progress.line(`images: ${mb} MB streamed to ${targets}`);
  }, PROGRESS_EVERY_MS);
  ticker.unref();
  const timer = setTimeout(() => {
    for (const child of [save, ...loads.map((l) => l.child)]) child.kill('SIGKILL');
  }, COPY_TIMEOUT_MS);
  timer.unref();
  try {
    const done = await results;
    const failed = done.filter((d) => d.code !== 0);
    if (Date.now() - started >= COPY_TIMEOUT_MS) throw new SetupError(`copying the images did not finish within ${COPY_TIMEOUT_MS / 60_000} min`);
    if (failed.length > 0) {
      throw new SetupError(`copying the images failed: ${failed.map((f) => `${f.label} (exit code ${f.code})`).join(', ')}`, failed.flatMap((f) => f.tail.map((l) => `${f.label}: ${l}`)));
    }
    const s = (Date.now() - started) / 1000;
    progress.line(`images: ${(bytes / 1e6).toFixed(0)} MB loaded into node ${nodes.map((n) => n.index).join(', ')} in ${s.toFixed(1)}s`);
  } finally {
    clearInterval(ticker);
    clearTimeout(timer);
  }
}

/** Which of `wanted` (ref -> id) a node lacks, or holds under another id. */
export function missingImages(wanted: ReadonlyMap<string, string>, present: ReadonlyMap<string, string>): string[] {
  return [...wanted].filter(([ref, id]) => present.get(ref) !== id).map(([ref]) => ref);
}

/** Copies into every node the wanted images it lacks; returns how many node-images were copied. */
export async function copyImages(wanted: ReadonlyMap<string, string>, nodes: readonly NodePlan[], progress: Progress): Promise<number> {
  // Nodes lacking the same set share one save.
  const groups = new Map<string, { refs: string[]; nodes: NodePlan[] }>();
  for (const node of nodes) {
    const refs = missingImages(wanted, await imageIds(node.dockerHost));
    if (refs.length === 0) continue;
    const key = refs.join(' ');
    const group = groups.get(key) ?? { refs, nodes: [] };
    group.nodes.push(node);
    groups.set(key, group);
  }
  if (groups.size === 0) {
    progress.line(`images: all ${wanted.size} already on every node`);
    return 0;
  }
  let copied = 0;
  for (const { refs, nodes: targets } of groups.values()) {
    progress.line(`images: docker save ${refs.join(' ')} | docker load into node ${targets.map((n) => n.index).join(', ')}`);
    await streamImages(refs, targets, progress);
    for (const node of targets) {
      const still = missingImages(new Map(refs.map((r) => [r, wanted.get(r)!])), await imageIds(node.dockerHost));
      if (still.length > 0) throw new SetupError(`node ${node.index} still lacks ${still.join(', ')} after docker load`);
    }
    copied += refs.length * targets.length;
  }
  return copied;
}
