/**
 * Image tags are content hashes of their definitions (file paths relative to the repo root, file
 * contents and executable bits; never absolute paths or mtimes), so a fresh clone computes the same
 * tags and a changed definition gets a new tag, i.e. a rebuild. Pure apart from reading the
 * definition files under sandbox/ (synchronously: a few small files).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_IMAGE_REPOSITORY, BASE_RECIPE_DIR, REGISTRY_IMAGE, SANDBOX_IMAGE, type BaseSuite, type BuiltImageDefinition, type MirrorImageDefinition } from './image-definitions';
import { REGISTRY_HOST_ADDRESS, REGISTRY_WRITER_HOST_PORT } from './registry-names';

const IGNORED_NAMES = /^(\.DS_Store|\.#.*|.*~|.*\.swp)$/;

/** Files (and symlinks) under `rel` (a file or a directory), as sorted repo-relative posix paths. */
function listFiles(repoRoot: string, rel: string): string[] {
  const stat = lstatSync(join(repoRoot, rel));
  if (!stat.isDirectory()) return [rel];
  const out: string[] = [];
  for (const name of readdirSync(join(repoRoot, rel)).sort()) {
    if (IGNORED_NAMES.test(name)) continue;
    out.push(...listFiles(repoRoot, rel === '.' ? name : `${rel}/${name}`));
  }
  return out;
}

/**
 * SHA-256 (hex) of a set of files and directories of the repo plus extra strings. Depends only on
 * repo-relative paths, contents, symlink targets and the executable bit: not on where the repo is,
 * file times or owners.
 */
export function definitionHash(repoRoot: string, paths: readonly string[], extra: readonly string[] = []): string {
  const files = [...new Set(paths.flatMap((p) => listFiles(repoRoot, normalize(p))))].sort();
  const h = createHash('sha256');
  h.update('playground-definition-v1\n');
  for (const e of extra) h.update(`extra\0${e}\n`);
  for (const f of files) {
    const abs = join(repoRoot, f);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      h.update(`link\0${f}\0${readlinkSync(abs)}\n`);
    } else {
      const content = createHash('sha256').update(readFileSync(abs)).digest('hex');
      h.update(`file\0${f}\0${st.mode & 0o111 ? 'x' : '-'}\0${content}\n`);
    }
  }
  return h.digest('hex');
}

function normalize(p: string): string {
  const n = p.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '');
  return n === '' ? '.' : n;
}

/** Tags use the first 12 hex digits of a definition hash. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export function baseImageHash(repoRoot: string, suite: BaseSuite): string {
  return definitionHash(repoRoot, [BASE_RECIPE_DIR], [`suite=${suite}`]);
}

/** e.g. `playground-base:trixie-0123456789ab`. */
export function baseImageRef(repoRoot: string, suite: BaseSuite): string {
  return `${BASE_IMAGE_REPOSITORY}:${suite}-${shortHash(baseImageHash(repoRoot, suite))}`;
}

/** The hash of a built image: its context files plus the hash of its base recipe. */
export function builtImageHash(repoRoot: string, def: BuiltImageDefinition): string {
  const paths = def.include.map((p) => (p === '.' ? def.contextDir : `${def.contextDir}/${p}`));
  return definitionHash(repoRoot, paths, [`base=${def.base}:${baseImageHash(repoRoot, def.base)}`]);
}

export function builtImageRef(repoRoot: string, def: BuiltImageDefinition): string {
  return `${def.repository}:${shortHash(builtImageHash(repoRoot, def))}`;
}

/** e.g. `playground-sandbox:0123456789ab`: changes whenever sandbox/Dockerfile, sandbox/rootfs/** or the base recipe change. */
export function sandboxImageRef(repoRoot: string): string {
  return builtImageRef(repoRoot, SANDBOX_IMAGE);
}

/** e.g. `playground-registry:0123456789ab`. */
export function registryImageRef(repoRoot: string): string {
  return builtImageRef(repoRoot, REGISTRY_IMAGE);
}

/** The local image a mirror image is pushed from. */
export function mirrorImageLocalRef(repoRoot: string, def: MirrorImageDefinition): string {
  return def.source.kind === 'build'
    ? builtImageRef(repoRoot, def.source.image)
    : baseImageRef(repoRoot, def.source.base);
}

/** Where the set-up step pushes a mirror image to (the writer), e.g. `127.0.0.1:5001/library/busybox:latest`. */
export function mirrorPushRef(def: MirrorImageDefinition, tag: string): string {
  return `${REGISTRY_HOST_ADDRESS}:${REGISTRY_WRITER_HOST_PORT}/${def.repository}:${tag}`;
}
