// What images the playground builds and serves: the sandbox, the registry, the Debian bases and the
// images its mirror holds for sandboxes. scripts/setup builds them; image-refs.ts names them.

import { MIRROR_IMAGE_ROLE, REGISTRY_IMAGE_ROLE, SANDBOX_IMAGE_ROLE } from './labels';

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
