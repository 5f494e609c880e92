import type Dockerode from 'dockerode';
import { BASE_IMAGE_REPOSITORY, BASE_SUITES, MIRROR_IMAGES, REGISTRY_IMAGE, SANDBOX_IMAGE } from '../../server/src/sandbox/image-definitions';
import { baseImageRef, builtImageRef } from '../../server/src/sandbox/image-refs';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../server/src/sandbox/labels';

/**
 * Removes tags of this project's own images (playground-base, -sandbox, -registry, -mirror-*)
 * that the current definitions no longer produce, so edits do not pile up 700 MB images. Never
 * forced: an image a container still uses (e.g. a running session's sandbox) stays. Returns the
 * tags removed.
 */
export async function pruneOutdatedImages(docker: Dockerode, repoRoot: string): Promise<string[]> {
  const built = [SANDBOX_IMAGE, REGISTRY_IMAGE, ...MIRROR_IMAGES.flatMap((m) => (m.source.kind === 'build' ? [m.source.image] : []))];
  const current = new Set([...BASE_SUITES.map((s) => baseImageRef(repoRoot, s)), ...built.map((d) => builtImageRef(repoRoot, d))]);
  const repositories = new Set([BASE_IMAGE_REPOSITORY, ...built.map((d) => d.repository)]);
  const images = await docker.listImages({ filters: { label: [`${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`] } });
  const removed: string[] = [];
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      const repo = tag.slice(0, tag.lastIndexOf(':'));
      if (!repositories.has(repo) || current.has(tag)) continue;
      try {
        await docker.getImage(tag).remove();
        removed.push(tag);
      } catch {
        // in use by a container, or a parent of another image: keep it
      }
    }
  }
  return removed;
}
