/**
 * Names, tags and labels of the images and containers the set-up step makes and the server uses.
 * Shared by scripts/setup and the server. Pure apart from reading the definition files under
 * sandbox/ (synchronously: a few small files).
 *
 * Image tags are content hashes of their definitions (file paths relative to the repo root, file
 * contents and executable bits; never absolute paths or mtimes), so a fresh clone computes the same
 * tags and a changed definition gets a new tag, i.e. a rebuild.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL, MANAGED_BY } from './labels';

// --- labels --------------------------------------------------------------------------------------

// The label names are defined once, in labels.ts; these aliases are what the set-up step uses.
export const LABEL_PREFIX = 'dev.playground.';
export const MANAGED_BY_LABEL = LABEL.managedBy;
export const MANAGED_BY_VALUE = MANAGED_BY;
/** What a managed object is: one of the *_ROLE values below. */
export const ROLE_LABEL = LABEL.role;
/** The full definition hash an image was built from (its tag holds the first 12 hex digits). */
export const DEFINITION_HASH_LABEL = 'dev.playground.definition-hash';

export const BASE_IMAGE_ROLE = 'base-image';
export const SANDBOX_IMAGE_ROLE = 'sandbox-image';
export const REGISTRY_IMAGE_ROLE = 'registry-image';
export const MIRROR_IMAGE_ROLE = 'mirror-image';
export const REGISTRY_MIRROR_ROLE = 'registry-mirror';
export const REGISTRY_WRITER_ROLE = 'registry-writer';
export const REGISTRY_CACHE_ROLE = 'registry-cache';

// --- the registry mirror -------------------------------------------------------------------------

/** The mirror registry's container (one per host, made by the set-up step, restart unless-stopped). */
export const REGISTRY_CONTAINER_NAME = 'playground-registry';
/** The server connects the registry container to each session network with this alias. */
export const REGISTRY_NETWORK_ALIAS = 'registry-mirror';
export const REGISTRY_PORT = 5000;
/** The registry's port is published on this host address only (for the set-up step's checks). */
export const REGISTRY_HOST_ADDRESS = '127.0.0.1';
/**
 * The mirror serves READ-ONLY (it is on every session network: a writable one would let a visitor
 * replace images every other session pulls). The set-up step pushes through a short-lived writable
 * container of the same image, on the same volume, published on 127.0.0.1:5001 only.
 */
export const REGISTRY_WRITER_CONTAINER_NAME = 'playground-registry-writer';
export const REGISTRY_WRITER_HOST_PORT = 5001;
/** The writer's configuration file inside the registry image (the mirror uses the image's CMD). */
export const REGISTRY_WRITABLE_CONFIG = '/etc/docker/registry/config-writable.yml';
/** Named volume holding the registry's blobs. */
export const REGISTRY_VOLUME_NAME = 'playground-registry-data';
/** Where the registry image keeps its storage (Debian's docker-registry package default). */
export const REGISTRY_STORAGE_PATH = '/var/lib/docker-registry';
/** REGISTRY_MIRROR for sandboxes on a session network the registry is connected to. */
export const MIRROR_URL_FOR_SANDBOXES = 'http://registry-mirror:5000';

// --- the pull-through cache (started by the server, see registry-cache.ts) -----------------------

/** The server connects its pull-through cache to each session network with this alias. */
export const REGISTRY_CACHE_NETWORK_ALIAS = 'registry-cache';
/** The second mirror sandboxes try, after MIRROR_URL_FOR_SANDBOXES, when the cache is on. */
export const CACHE_URL_FOR_SANDBOXES = 'http://registry-cache:5000';
/** The cache's configuration file inside the registry image (proxy mode). */
/** The cache's entry point: the registry behind an nginx front that keeps sandboxes to pulling (sandbox/registry/registry-cache). */
export const REGISTRY_CACHE_ENTRYPOINT = '/usr/local/bin/registry-cache';
/** The registry's user in the registry image (fixed there), who must own a registry's data. */
export const REGISTRY_UID = 100;
export const REGISTRY_GID = 101;

/**
 * Who owns a registry's data on the host: the registry's user as the engine maps it (containers of
 * an engine with userns-remap see host ids shifted by the remapped root's).
 */
export function registryOwner(remappedRoot?: { uid: number; gid: number }): { uid: number; gid: number } {
  return { uid: (remappedRoot?.uid ?? 0) + REGISTRY_UID, gid: (remappedRoot?.gid ?? 0) + REGISTRY_GID };
}

// --- the sandbox contract (see sandbox/README.md) ------------------------------------------------

/** Env var the sandbox reads: each URL in it (separated by spaces) becomes a --registry-mirror of its dockerd, in order. */
export const SANDBOX_REGISTRY_MIRROR_ENV = 'REGISTRY_MIRROR';
/** Where the sandbox's nested Docker keeps its data: mount a named volume here (required). */
export const SANDBOX_DOCKER_DATA_PATH = '/var/lib/docker';
/** The one stdout line a sandbox prints when its nested dockerd answers. */
export const SANDBOX_READY_LINE = 'PLAYGROUND_SANDBOX_READY';
/** Prefix of the line a sandbox prints when its nested dockerd failed (followed by a reason). */
export const SANDBOX_FAILED_PREFIX = 'PLAYGROUND_SANDBOX_FAILED:';
/** Exists inside the sandbox once the nested dockerd answers. */
export const SANDBOX_READY_FILE = '/run/playground/ready';
/** Exists inside the sandbox (holding the reason) when the nested dockerd failed. */
export const SANDBOX_FAILED_FILE = '/run/playground/failed';
/**
 * The interactive shell to exec (with a TTY and TERM=xterm-256color), followed by the shell's name:
 * the sandbox keeps the login shell of that name running when the exec goes, and the same command
 * attaches to it again (sandbox/README.md, "Shells").
 */
export const SANDBOX_SHELL_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell'];
/** Ends the kept shell of the name that follows (its tab was closed). */
export const SANDBOX_END_SHELL_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell', '--end'];
/** Prints the exit status of the kept shell of the name that follows, once it has exited. */
export const SANDBOX_SHELL_STATUS_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell', '--status'];
/** What the shell command prints as it attaches, before the shell's own output: a screen clear. */
export const SANDBOX_SHELL_ATTACH_NOISE = Buffer.from('\x1b[H\x1b[J');
/**
 * The shell command's exit code when the login shell exited: the holder ends the client with
 * SIGKILL, and SANDBOX_SHELL_STATUS_COMMAND has the login shell's own status.
 */
export const SANDBOX_SHELL_ENDED_EXIT_CODE = 137;
export const SANDBOX_WORKING_DIR = '/root';

// --- image definitions ---------------------------------------------------------------------------

/** Debian suites of the locally made base images. */
export type BaseSuite = 'trixie' | 'bookworm';
export const BASE_SUITES: readonly BaseSuite[] = ['trixie', 'bookworm'];
export const BASE_IMAGE_REPOSITORY = 'playground-base';
/** The base recipe (debootstrap settings and the rootfs finishing script), shared by all suites. */
export const BASE_RECIPE_DIR = 'sandbox/base';

/** An image built with `docker build` from a directory of the repo. */
export interface BuiltImageDefinition {
  /** Local repository name; the tag is the definition hash. */
  readonly repository: string;
  /** Build context directory, relative to the repo root. */
  readonly contextDir: string;
  /** What of contextDir goes into the build context (and the hash); '.' for all of it. */
  readonly include: readonly string[];
  /** Passed as build arg BASE_IMAGE (the Dockerfile's FROM). */
  readonly base: BaseSuite;
  readonly role: string;
}

export const SANDBOX_IMAGE: BuiltImageDefinition = {
  repository: 'playground-sandbox',
  contextDir: 'sandbox',
  include: ['Dockerfile', 'rootfs'],
  base: 'trixie',
  role: SANDBOX_IMAGE_ROLE,
};

export const REGISTRY_IMAGE: BuiltImageDefinition = {
  repository: 'playground-registry',
  contextDir: 'sandbox/registry',
  include: ['.'],
  base: 'bookworm',
  role: REGISTRY_IMAGE_ROLE,
};

/** An image the mirror registry serves to sandboxes. */
export interface MirrorImageDefinition {
  /** Repository in the registry: what a nested `docker pull <name>` asks the mirror for. */
  readonly repository: string;
  readonly tags: readonly string[];
  /** Built from a Dockerfile (FROM a base), or one of the base images as it is. */
  readonly source:
    | { readonly kind: 'build'; readonly image: BuiltImageDefinition }
    | { readonly kind: 'base'; readonly base: BaseSuite };
}

export const MIRROR_IMAGES: readonly MirrorImageDefinition[] = [
  {
    repository: 'library/busybox',
    tags: ['latest'],
    source: {
      kind: 'build',
      image: {
        repository: 'playground-mirror-busybox',
        contextDir: 'sandbox/mirror/busybox',
        include: ['.'],
        base: 'bookworm',
        role: MIRROR_IMAGE_ROLE,
      },
    },
  },
  {
    repository: 'library/nginx',
    tags: ['latest'],
    source: {
      kind: 'build',
      image: {
        repository: 'playground-mirror-nginx',
        contextDir: 'sandbox/mirror/nginx',
        include: ['.'],
        base: 'bookworm',
        role: MIRROR_IMAGE_ROLE,
      },
    },
  },
  {
    repository: 'library/python',
    tags: ['3', '3-slim', 'latest'],
    source: {
      kind: 'build',
      image: {
        repository: 'playground-mirror-python',
        contextDir: 'sandbox/mirror/python',
        include: ['.'],
        base: 'bookworm',
        role: MIRROR_IMAGE_ROLE,
      },
    },
  },
  {
    repository: 'library/redis',
    tags: ['latest', '7'],
    source: {
      kind: 'build',
      image: {
        repository: 'playground-mirror-redis',
        contextDir: 'sandbox/mirror/redis',
        include: ['.'],
        base: 'bookworm',
        role: MIRROR_IMAGE_ROLE,
      },
    },
  },
  {
    repository: 'library/postgres',
    tags: ['latest', '15'],
    source: {
      kind: 'build',
      image: {
        repository: 'playground-mirror-postgres',
        contextDir: 'sandbox/mirror/postgres',
        include: ['.'],
        base: 'bookworm',
        role: MIRROR_IMAGE_ROLE,
      },
    },
  },
  {
    repository: 'library/debian',
    tags: ['bookworm', '12', 'latest'],
    source: { kind: 'base', base: 'bookworm' },
  },
];

// --- hashing -------------------------------------------------------------------------------------

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

/** Labels for everything the set-up step makes. */
export function managedLabels(role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ROLE_LABEL]: role, ...extra };
}
