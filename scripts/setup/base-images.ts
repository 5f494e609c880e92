import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { BASE_RECIPE_DIR, type BaseSuite } from '../../server/src/sandbox/image-definitions';
import { baseImageHash, baseImageRef } from '../../server/src/sandbox/image-refs';
import { BASE_IMAGE_ROLE, DEFINITION_HASH_LABEL, managedLabels } from '../../server/src/sandbox/labels';
import { aptInstall } from './apt';
import { classifyDebootstrap } from './condense';
import { followStream, imageExists } from './docker-stream';
import { errorMessage, SetupError } from './errors';
import { isDebianLike, isRoot, readOsRelease } from './os-release';
import { run, which } from './proc';
import type { StepProgress, StepResult } from './reporter';
import { TailBuffer } from './tail-buffer';

/** sandbox/base/recipe.json */
export interface BaseRecipe {
  variant: string;
  mirror: string;
  securityMirror: string;
  /** Dockerfile instructions applied at import (`docker import --change`). */
  importChanges: string[];
}

export async function readBaseRecipe(repoRoot: string): Promise<BaseRecipe> {
  const recipe = JSON.parse(await readFile(join(repoRoot, BASE_RECIPE_DIR, 'recipe.json'), 'utf8')) as Partial<BaseRecipe>;
  if (!recipe.variant || !recipe.mirror || !recipe.securityMirror || !Array.isArray(recipe.importChanges)) {
    throw new SetupError(`${BASE_RECIPE_DIR}/recipe.json lacks variant, mirror, securityMirror or importChanges`);
  }
  return recipe as BaseRecipe;
}

const PULL_TIMEOUT_MS = 60_000;
const DEBOOTSTRAP_TIMEOUT_MS = 30 * 60_000;

/**
 * Makes `playground-base:<suite>-<hash>` unless it exists: from `docker pull debian:<suite>` when a
 * registry can be reached, else with debootstrap (installed with apt-get when missing) and an
 * import of the resulting root file system. The temporary directory is removed in every case.
 */
export async function ensureBaseImage(docker: Dockerode, repoRoot: string, suite: BaseSuite, progress: StepProgress): Promise<StepResult> {
  const ref = baseImageRef(repoRoot, suite);
  if (await imageExists(docker, ref)) return 'up to date';

  const pulled = await tryPull(docker, `debian:${suite}`, progress);
  if (pulled) {
    const [repo, tag] = splitRef(ref);
    await docker.getImage(`debian:${suite}`).tag({ repo, tag });
    progress.line(`tagged debian:${suite} as ${ref}`);
    return 'done';
  }

  const recipe = await readBaseRecipe(repoRoot);
  const debootstrap = await ensureDebootstrap(progress);
  const dir = await mkdtemp(join(existsSync('/var/tmp') ? '/var/tmp' : '/tmp', `playground-base-${suite}-`));
  try {
    progress.line(`debootstrap --variant=${recipe.variant} ${suite} ${dir} ${recipe.mirror}`);
    try {
      await run(debootstrap, [`--variant=${recipe.variant}`, suite, dir, recipe.mirror], {
        onLine: progress.feed(classifyDebootstrap),
        timeoutMs: DEBOOTSTRAP_TIMEOUT_MS,
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
    } catch (err) {
      const log = join(dir, 'debootstrap', 'debootstrap.log');
      const extra = existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter(Boolean).slice(-20) : [];
      const tail = err instanceof SetupError ? err.tail : [];
      throw new SetupError(`debootstrap of ${suite} failed: ${errorMessage(err)}`, [...tail, ...(extra.length ? ['--- debootstrap.log ---', ...extra] : [])]);
    }
    await run('sh', [join(repoRoot, BASE_RECIPE_DIR, 'finish-rootfs.sh'), dir, suite, recipe.mirror, recipe.securityMirror], {
      timeoutMs: 60_000,
    });
    progress.line(`importing the root file system as ${ref}`);
    await importDirectory(docker, dir, ref, [
      ...recipe.importChanges,
      ...Object.entries(managedLabels(BASE_IMAGE_ROLE, { [DEFINITION_HASH_LABEL]: baseImageHash(repoRoot, suite) })).map(
        ([k, v]) => `LABEL ${k}=${v}`,
      ),
    ]);
    return 'done';
  } finally {
    await removeTree(dir);
  }
}

/** `docker pull <ref>`, bounded; false (after saying why) when it fails. */
async function tryPull(docker: Dockerode, ref: string, progress: StepProgress): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PULL_TIMEOUT_MS);
  try {
    const stream = (await docker.pull(ref, { abortSignal: abort.signal })) as NodeJS.ReadableStream;
    await followStream(docker, stream, `docker pull ${ref}`);
    progress.line(`pulled ${ref}`);
    return true;
  } catch (err) {
    progress.line(`docker pull ${ref} failed (${firstLine(errorMessage(err))}): making it with debootstrap`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function ensureDebootstrap(progress: StepProgress): Promise<string> {
  const found = await which('debootstrap');
  if (found && isRoot()) return found;
  const os = await readOsRelease();
  if (!isRoot()) {
    throw new SetupError(
      'Making the Debian base images needs root (debootstrap): run the set-up as root, e.g. `sudo npx tsx scripts/setup.ts`.',
    );
  }
  if (!os || !isDebianLike(os)) {
    throw new SetupError('debootstrap is not installed. Install it (it is packaged for most distributions) and run the set-up again.');
  }
  progress.line('debootstrap is not installed: installing it with apt-get');
  await aptInstall(['debootstrap'], progress, { noRecommends: true });
  const path = await which('debootstrap');
  if (!path) throw new SetupError('debootstrap was installed but is not on PATH');
  return path;
}

/** Imports a directory as an image (like `tar -C dir -c . | docker import --change ... - ref`). */
export async function importDirectory(docker: Dockerode, dir: string, ref: string, changes: string[]): Promise<void> {
  const [repo, tag] = splitRef(ref);
  const tarTail = new TailBuffer(20);
  const tar = spawn('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=security.capability', '-C', dir, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tar.stderr.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter(Boolean).forEach((l) => tarTail.push(l)));
  const tarDone = new Promise<number>((resolve, reject) => {
    tar.on('error', reject);
    tar.on('close', (code) => resolve(code ?? 1));
  });
  const stream = (await docker.importImage(tar.stdout, { repo, tag, changes } as object)) as NodeJS.ReadableStream;
  await followStream(docker, stream, `importing ${ref}`);
  const code = await tarDone;
  if (code !== 0) {
    await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    throw new SetupError(`tar of ${dir} failed (exit code ${code}); the import was discarded`, tarTail.get());
  }
}

/** Unmounts whatever a failed debootstrap left mounted under `dir`, then removes it. */
async function removeTree(dir: string): Promise<void> {
  try {
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    const points = mountinfo
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((p): p is string => p !== undefined && (p === dir || p.startsWith(`${dir}/`)))
      .sort((a, b) => b.length - a.length);
    for (const p of points) await run('umount', ['-l', p]).catch(() => undefined);
  } catch {
    // no /proc: nothing can be mounted there either
  }
  await rm(dir, { recursive: true, force: true });
}

export function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash) return [ref, 'latest'];
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 160);
}
