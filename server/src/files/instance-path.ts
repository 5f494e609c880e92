import { posix } from 'node:path';
import { BadRequestError } from '../errors';

/** The shell's working directory: relative paths in the files API start here. */
export const HOME = '/root';

/**
 * A path inside an instance, absolute and normalised (`a/../b` -> `/root/b`). Paths are only ever
 * handed to Docker's archive API or as separate exec arguments, both resolved inside the instance's
 * own file system, so `..` or a symlink cannot leave it; this just makes them unambiguous.
 */
export function instancePath(input: unknown, options: { forWrite?: boolean } = {}): string {
  if (typeof input !== 'string' || input.trim() === '') throw new BadRequestError('"path" is required, e.g. ?path=/root/app.');
  if (input.includes('\0')) throw new BadRequestError('A path cannot contain a NUL byte.');
  if (input.length > 4096) throw new BadRequestError('The path is longer than 4096 characters.');
  const absolute = input.startsWith('/') ? input : posix.join(HOME, input);
  let normalised = posix.normalize(absolute);
  if (normalised.length > 1 && normalised.endsWith('/')) normalised = normalised.slice(0, -1);
  if (options.forWrite && normalised === '/') throw new BadRequestError('Cannot write to "/" itself: name a file.');
  return normalised;
}

/** The folder and file name of a path to write. */
export function splitPath(path: string): { dir: string; name: string } {
  return { dir: posix.dirname(path), name: posix.basename(path) };
}
