import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { BASE_SUITES, MIRROR_IMAGES, REGISTRY_IMAGE, SANDBOX_IMAGE } from '../../server/src/sandbox/image-definitions';
import { baseImageRef, builtImageRef, registryImageRef, sandboxImageRef } from '../../server/src/sandbox/image-refs';
import { MIRROR_URL_FOR_SANDBOXES, REGISTRY_CONTAINER_NAME } from '../../server/src/sandbox/registry-names';
import { ensureBaseImage } from './base-images';
import { ensureBuiltImage } from './build';
import { raiseKernelKeyLimits } from './kernel-keys';
import { ensureEngine } from './engine';
import { Reporter, seconds, type Output } from './reporter';
import { pruneOutdatedImages } from './prune';
import { ensureMirrorPushed, ensureRegistryContainer } from './registry';

/** The repository this file belongs to (scripts/setup/ -> ../..). */
export const DEFAULT_REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SetupOptions {
  /** The repository root holding sandbox/ (default: the one this file is in). */
  repoRoot?: string;
  /** The Docker client (default: from DOCKER_HOST, else /var/run/docker.sock). */
  docker?: Dockerode;
  /** Where progress lines go (default: process.stdout). */
  output?: Output;
  /** Install docker.io / start dockerd when no engine answers, as root on Debian (default true). */
  allowEngineStart?: boolean;
}

export interface SetupResult {
  /** e.g. playground-sandbox:0123456789ab: the image the server runs for instances. */
  sandboxImage: string;
  registryImage: string;
  registryContainer: string;
  /** REGISTRY_MIRROR for sandboxes on a session network the registry is connected to. */
  mirrorUrl: string;
  durationMs: number;
}

/**
 * Makes everything the playground needs on this host, skipping whatever is already in place, so a
 * second run takes seconds: a Docker engine, the Debian base images, the sandbox and registry
 * images, the mirror images, the running mirror container with those images pushed.
 * Prints one progress line per step. Throws (after printing what failed and the output's tail)
 * when a step fails. Safe to call again after a failure.
 */
export async function runSetup(options: SetupOptions = {}): Promise<SetupResult> {
  const started = performance.now();
  const repoRoot = options.repoRoot ?? DEFAULT_REPO_ROOT;
  const docker = options.docker ?? new Dockerode();
  const out = options.output ?? process.stdout;
  const steps = 5 + BASE_SUITES.length;
  const reporter = new Reporter(out, steps);

  await reporter.step('Checking the Docker engine', async (p) => {
    const result = await ensureEngine(docker, p, { dockerHost: process.env.DOCKER_HOST, allowStart: options.allowEngineStart });
    // A class of sandboxes needs more kernel keyrings than the default quota of one uid allows.
    const keys = await raiseKernelKeyLimits();
    if (keys) p.line(keys);
    return result;
  });
  for (const suite of BASE_SUITES) {
    await reporter.step(`Making base image ${baseImageRef(repoRoot, suite)}`, (p) => ensureBaseImage(docker, repoRoot, suite, p));
  }
  await reporter.step(`Building sandbox image ${builtImageRef(repoRoot, SANDBOX_IMAGE)}`, (p) =>
    ensureBuiltImage(docker, repoRoot, SANDBOX_IMAGE, p),
  );
  await reporter.step(`Building registry image ${builtImageRef(repoRoot, REGISTRY_IMAGE)}`, (p) =>
    ensureBuiltImage(docker, repoRoot, REGISTRY_IMAGE, p),
  );
  const builtMirrors = MIRROR_IMAGES.flatMap((m) => (m.source.kind === 'build' ? [m.source.image] : []));
  await reporter.step(`Building mirror images ${builtMirrors.map((d) => builtImageRef(repoRoot, d)).join(', ')}`, async (p) => {
    let did = false;
    for (const def of builtMirrors) {
      if ((await ensureBuiltImage(docker, repoRoot, def, p)) === 'done') did = true;
    }
    return did ? 'done' : 'up to date';
  });
  await reporter.step(`Starting the registry mirror ${REGISTRY_CONTAINER_NAME} and pushing ${MIRROR_IMAGES.map((m) => m.repository.replace(/^library\//, '')).join(', ')}`, async (p) => {
    const a = await ensureRegistryContainer(docker, repoRoot, p);
    const b = await ensureMirrorPushed(docker, repoRoot, p);
    return a === 'up to date' && b === 'up to date' ? 'up to date' : 'done';
  });

  const pruned = await pruneOutdatedImages(docker, repoRoot).catch(() => []);
  if (pruned.length > 0) out.write(`[setup] removed outdated images: ${pruned.join(', ')}\n`);

  const durationMs = performance.now() - started;
  out.write(`[setup] ready in ${seconds(durationMs)}: sandbox image ${sandboxImageRef(repoRoot)}, mirror ${REGISTRY_CONTAINER_NAME} (${MIRROR_URL_FOR_SANDBOXES} on session networks)\n`);
  return {
    sandboxImage: sandboxImageRef(repoRoot),
    registryImage: registryImageRef(repoRoot),
    registryContainer: REGISTRY_CONTAINER_NAME,
    mirrorUrl: MIRROR_URL_FOR_SANDBOXES,
    durationMs,
  };
}
