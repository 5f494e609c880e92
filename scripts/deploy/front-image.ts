/**
 * The front's image (deploy/front/Dockerfile), tagged by what it is made of, built on the engine it
 * is given unless that tag is there. The build context is staged in a temporary directory: the
 * server's sources, the built page and `npm ci --omit=dev` (a front carries no test or build tools).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { baseImageRef, definitionHash, shortHash } from '../../server/src/sandbox/image-refs';
import { managedLabels } from '../../server/src/sandbox/labels';
import { buildClientIfChanged } from '../client-build';
import { followStream, imageExists } from '../setup/docker-stream';
import { SetupError } from '../setup/errors';
import { run } from '../setup/proc';

export const FRONT_REPOSITORY = 'playground-front';
const FRONT_INPUTS = ['deploy/front', 'server/src', 'client', 'package.json', 'package-lock.json', 'vite.config.ts'];
const NPM_TIMEOUT_MS = 300_000;

/** playground-front:<hash of its inputs and base image>. */
export function frontImageRef(repoRoot: string): string {
  const base = baseImageRef(repoRoot, 'trixie');
  return `${FRONT_REPOSITORY}:${shortHash(definitionHash(repoRoot, FRONT_INPUTS, [base]))}`;
}

async function stageContext(repoRoot: string, log: (line: string) => void): Promise<string> {
  await buildClientIfChanged(repoRoot, log);
  const dir = await mkdtemp(path.join(tmpdir(), 'playground-front-'));
  for (const file of ['package.json', 'package-lock.json']) await cp(path.join(repoRoot, file), path.join(dir, file));
  await cp(path.join(repoRoot, 'deploy', 'front', 'Dockerfile'), path.join(dir, 'Dockerfile'));
  await cp(path.join(repoRoot, 'server', 'src'), path.join(dir, 'server', 'src'), { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  await cp(path.join(repoRoot, 'dist', 'client'), path.join(dir, 'dist', 'client'), { recursive: true });
  log('installing the production dependencies for the image (npm ci --omit=dev)');
  // --ignore-scripts: none of the runtime dependencies needs one (esbuild's binary is its own package).
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, timeoutMs: NPM_TIMEOUT_MS });
  return dir;
}

/** Builds the front's image on `docker` unless it has it; returns its reference. */
export async function ensureFrontImage(docker: Dockerode, repoRoot: string, log: (line: string) => void): Promise<string> {
  const ref = frontImageRef(repoRoot);
  if (await imageExists(docker, ref)) {
    log(`front image ${ref}: up to date`);
    return ref;
  }
  const base = baseImageRef(repoRoot, 'trixie');
  if (!(await imageExists(docker, base))) throw new SetupError(`the base image ${base} is missing on this engine: run \`npm run setup\` first`);
  const started = Date.now();
  const dir = await stageContext(repoRoot, log);
  try {
    const tar = spawn('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = (await docker.buildImage(tar.stdout, { t: ref, buildargs: { BASE_IMAGE: base }, labels: managedLabels('front'), rm: true, forcerm: true, pull: false })) as NodeJS.ReadableStream;
    await followStream(docker, stream, `building ${ref}`, { tailLines: 40 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, ref))) throw new SetupError(`the build finished but ${ref} does not exist`);
  log(`front image ${ref}: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  await removeOlderFrontImages(docker, ref);
  return ref;
}

/** Earlier builds' tags (one per change of the sources) would pile up; an image in use stays. */
async function removeOlderFrontImages(docker: Dockerode, current: string): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [`${FRONT_REPOSITORY}:*`] } });
  for (const tag of images.flatMap((image) => image.RepoTags ?? [])) {
    if (tag !== current) await docker.getImage(tag).remove().catch(() => undefined);
  }
}
