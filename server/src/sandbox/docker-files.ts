import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { asEngineError, dockerStatus } from './docker-errors';

/** What Docker's archive API says about a path (X-Docker-Container-Path-Stat). */
export interface PathStat {
  name: string;
  size: number;
  /** Permission bits (0o7777). */
  permissions: number;
  isDir: boolean;
  /** Set when the path is a symlink. */
  linkTarget: string;
}

/** Go's os.ModeDir, as Docker reports it. */
const GO_MODE_DIR = 0x80000000;

/**
 * Files in and out of a sandbox through Docker's archive API. The engine resolves every path inside
 * the container's own root file system, symlinks included, so no path can reach the host.
 */
export class DockerFiles {
  constructor(private readonly docker: Docker) {}

  /** The path's stat, or undefined when nothing is there. */
  async stat(containerId: string, path: string): Promise<PathStat | undefined> {
    try {
      const answer = (await this.docker.getContainer(containerId).infoArchive({ path })) as unknown as {
        headers: Record<string, string | undefined>;
        resume(): void;
      };
      answer.resume();
      const header = answer.headers['x-docker-container-path-stat'];
      if (!header) return undefined;
      const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { name: string; size: number; mode: number; linkTarget?: string };
      return {
        name: stat.name,
        size: stat.size,
        permissions: stat.mode & 0o7777,
        isDir: (stat.mode & GO_MODE_DIR) !== 0,
        linkTarget: stat.linkTarget ?? '',
      };
    } catch (error) {
      if (dockerStatus(error) === 404) return undefined;
      throw asEngineError(error);
    }
  }

  /** A tar archive of the path (a file, or a folder with everything in it). */
  async archive(containerId: string, path: string): Promise<Readable> {
    try {
      return (await this.docker.getContainer(containerId).getArchive({ path })) as unknown as Readable;
    } catch (error) {
      throw asEngineError(error);
    }
  }

  /**
   * Unpacks a tar stream into a folder of the sandbox. The engine holds the container while it
   * extracts, so a broken source must abort the request (`signal`), or the container stays held.
   */
  async extract(containerId: string, dir: string, tar: Readable, signal: AbortSignal): Promise<void> {
    try {
      await this.docker.getContainer(containerId).putArchive(tar, { path: dir, abortSignal: signal });
    } catch (error) {
      throw asEngineError(error);
    }
  }
}
