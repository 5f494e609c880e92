import type { Readable } from 'node:stream';

// Files in and out of a sandbox, as its own processes see them (the driver's implementation runs
// `find` and `tar` inside it). Paths are passed as separate arguments, never through a shell.

/** What `find -printf` says about a path inside the sandbox. */
export interface PathStat {
  name: string;
  size: number;
  /** Permission bits (0o7777). */
  permissions: number;
  isDir: boolean;
  /** Set when the path is a symlink. */
  linkTarget: string;
}

export interface SandboxFiles {
  /** The path's stat, or undefined when nothing is there. */
  stat(containerId: string, path: string): Promise<PathStat | undefined>;
  /** A tar archive of the path (a file, or a folder with everything in it), named by its last part. */
  archive(containerId: string, path: string): Promise<Readable>;
  /** Unpacks a tar stream into a folder of the sandbox; aborting `signal` ends it. */
  extract(containerId: string, dir: string, tar: Readable, signal: AbortSignal): Promise<void>;
}
