import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIRROR_IMAGES } from '../../server/src/sandbox/image-definitions';
import { baseImageRef, builtImageRef, definitionHash, mirrorImageLocalRef, registryImageRef, sandboxImageRef } from '../../server/src/sandbox/image-refs';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A throwaway repo root with a minimal sandbox/ tree. */
function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-hash-'));
  made.push(root);
  const files: Record<string, string> = {
    'sandbox/Dockerfile': 'FROM ${BASE_IMAGE}\n',
    'sandbox/README.md': '# docs\n',
    'sandbox/rootfs/usr/local/sbin/playground-init': '#!/bin/bash\necho hi\n',
    'sandbox/rootfs/root/.bashrc': 'PS1=x\n',
    'sandbox/base/recipe.json': '{"variant":"minbase"}\n',
    'sandbox/base/finish-rootfs.sh': '#!/bin/sh\n',
    'sandbox/registry/Dockerfile': 'FROM ${BASE_IMAGE}\n',
    'sandbox/registry/config.yml': 'version: 0.1\n',
    'sandbox/mirror/busybox/Dockerfile': 'FROM scratch\n',
    'sandbox/mirror/nginx/Dockerfile': 'FROM ${BASE_IMAGE}\n',
    'sandbox/mirror/python/Dockerfile': 'FROM ${BASE_IMAGE}\n',
    'sandbox/mirror/redis/Dockerfile': 'FROM ${BASE_IMAGE}\n',
    'sandbox/mirror/postgres/Dockerfile': 'FROM ${BASE_IMAGE}\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  chmodSync(join(root, 'sandbox/rootfs/usr/local/sbin/playground-init'), 0o755);
  return root;
}

function copyRepo(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'pg-hash-copy-'));
  made.push(copy);
  cpSync(root, copy, { recursive: true });
  return copy;
}

describe('image definition hashing', () => {
  it('gives tags of the documented form', () => {
    const root = fakeRepo();
    expect(sandboxImageRef(root)).toMatch(/^playground-sandbox:[0-9a-f]{12}$/);
    expect(registryImageRef(root)).toMatch(/^playground-registry:[0-9a-f]{12}$/);
    expect(baseImageRef(root, 'trixie')).toMatch(/^playground-base:trixie-[0-9a-f]{12}$/);
  });

  it('is stable: same content in another directory, with other mtimes, gives the same tags', () => {
    const a = fakeRepo();
    const b = copyRepo(a);
    const old = new Date('2001-02-03T04:05:06Z');
    utimesSync(join(b, 'sandbox/Dockerfile'), old, old);
    expect(sandboxImageRef(b)).toBe(sandboxImageRef(a));
    expect(registryImageRef(b)).toBe(registryImageRef(a));
    expect(sandboxImageRef(a)).toBe(sandboxImageRef(a));
  });

  it('changes the sandbox tag when a file of its definition changes, is added or becomes executable', () => {
    const root = fakeRepo();
    const before = sandboxImageRef(root);
    writeFileSync(join(root, 'sandbox/rootfs/root/.bashrc'), 'PS1=y\n');
    const edited = sandboxImageRef(root);
    expect(edited).not.toBe(before);

    writeFileSync(join(root, 'sandbox/rootfs/etc-new'), 'x\n');
    const added = sandboxImageRef(root);
    expect(added).not.toBe(edited);

    chmodSync(join(root, 'sandbox/rootfs/etc-new'), 0o755);
    expect(sandboxImageRef(root)).not.toBe(added);
  });

  it('changes every tag when the base recipe changes, and only the right tags otherwise', () => {
    const root = fakeRepo();
    const sandbox = sandboxImageRef(root);
    const registry = registryImageRef(root);
    const trixie = baseImageRef(root, 'trixie');

    writeFileSync(join(root, 'sandbox/README.md'), '# other docs\n');
    expect(sandboxImageRef(root)).toBe(sandbox); // docs are not part of the image

    writeFileSync(join(root, 'sandbox/registry/config.yml'), 'version: 0.2\n');
    expect(registryImageRef(root)).not.toBe(registry);
    expect(sandboxImageRef(root)).toBe(sandbox);

    writeFileSync(join(root, 'sandbox/base/recipe.json'), '{"variant":"buildd"}\n');
    expect(baseImageRef(root, 'trixie')).not.toBe(trixie);
    expect(sandboxImageRef(root)).not.toBe(sandbox);
  });

  it('tells the suites apart', () => {
    const root = fakeRepo();
    expect(baseImageRef(root, 'trixie').split('-').pop()).not.toBe(baseImageRef(root, 'bookworm').split('-').pop());
  });

  it('does not depend on the order paths are given in, and hashes a file only once', () => {
    const root = fakeRepo();
    expect(definitionHash(root, ['sandbox/rootfs', 'sandbox/Dockerfile'])).toBe(
      definitionHash(root, ['sandbox/Dockerfile', 'sandbox/rootfs', 'sandbox/rootfs/root/.bashrc']),
    );
  });

  it('names the mirror images: built ones by hash, base ones as the base image', () => {
    const root = fakeRepo();
    const refs = MIRROR_IMAGES.map((m) => mirrorImageLocalRef(root, m));
    expect(refs).toContain(baseImageRef(root, 'bookworm'));
    expect(refs.some((r) => /^playground-mirror-busybox:[0-9a-f]{12}$/.test(r))).toBe(true);
    const busybox = MIRROR_IMAGES.find((m) => m.repository === 'library/busybox');
    expect(busybox?.source.kind === 'build' && builtImageRef(root, busybox.source.image)).toMatch(/^playground-mirror-busybox:/);
  });
});
