import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { extract, pack } from 'tar-stream';
import { BadRequestError, LengthRequiredError, PathNotFoundError, PayloadTooLargeError } from '../errors';
import type { FileListing, FileWritten } from '../protocol/api-types';
import type { SandboxDriver } from '../sandbox/driver';
import type { SessionService } from '../sessions/session-service';
import { instancePath, splitPath } from './instance-path';
import { parseListing } from './listing';

export interface FileServiceOptions {
  sessions: SessionService;
  driver: SandboxDriver;
  /** Largest upload (UPLOAD_MAX_BYTES). */
  uploadMaxBytes: number;
}

const READY_TIMEOUT_MS = 60_000;
const EXEC = { timeoutMs: 30_000, maxOutputBytes: 4 * 1024 * 1024 };

function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

/**
 * Files of an instance: list a folder, download a file or folder (as tar), upload a file. Paths are
 * passed as separate exec arguments (docker/docker-files.ts, behind the driver), never inside a shell command string,
 * and everything is resolved in the instance's own file system.
 */
export class FileService {
  constructor(private readonly options: FileServiceOptions) {}

  private async containerOf(id: string, name: string): Promise<string> {
    return (await this.options.sessions.readyInstance(id, name, READY_TIMEOUT_MS)).containerId;
  }

  private async run(containerId: string, cmd: string[]) {
    return this.options.driver.exec(containerId, cmd, EXEC);
  }

  async list(id: string, name: string, rawPath: unknown): Promise<FileListing> {
    const path = instancePath(rawPath ?? '/root');
    const containerId = await this.containerOf(id, name);
    // $1 is the path, an argument of its own: no file name is ever parsed by the shell.
    const script =
      'if [ ! -e "$1" ]; then exit 3; elif [ ! -d "$1" ]; then exit 4; fi; ' +
      "exec find \"$1\" -mindepth 1 -maxdepth 1 -printf '%y\\t%s\\t%f\\0'";
    const outcome = await this.run(containerId, ['sh', '-c', script, 'sh', path]);
    if (outcome.exitCode === 3) throw new PathNotFoundError(path);
    if (outcome.exitCode === 4) throw new BadRequestError(`${path} is not a folder.`);
    return { path, entries: parseListing(outcome.stdout) };
  }

  /** Sends a file's bytes, or a folder as a tar archive, streamed. */
  async download(id: string, name: string, rawPath: unknown, response: ServerResponse): Promise<void> {
    let path = instancePath(rawPath);
    const containerId = await this.containerOf(id, name);
    let stat = await this.options.driver.files.stat(containerId, path);
    if (stat?.linkTarget) {
      // Docker archives a symlink itself; people mean what it points to (inside the instance).
      const resolved = await this.run(containerId, ['readlink', '-f', '--', path]);
      path = resolved.stdout.trim() || path;
      stat = await this.options.driver.files.stat(containerId, path);
    }
    if (!stat) throw new PathNotFoundError(path);
    const tar = await this.options.driver.files.archive(containerId, path);
    if (stat.isDir) {
      response.writeHead(200, { 'content-type': 'application/x-tar', 'content-disposition': attachment(`${stat.name || 'root'}.tar`), 'cache-control': 'no-store' });
      await pipeline(tar, response);
      return;
    }
    const unpack = extract();
    let sent = false;
    unpack.on('entry', (header, entry, next) => {
      if (sent) {
        entry.resume();
        next();
        return;
      }
      sent = true;
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': header.size ?? 0,
        'content-disposition': attachment(stat!.name),
        'cache-control': 'no-store',
      });
      entry.pipe(response);
      entry.on('end', next);
    });
    await pipeline(tar, unpack);
    if (!sent) throw new PathNotFoundError(path);
  }

  /**
   * Writes the request body to a file, creating missing folders. The body goes to a temporary name
   * next to the file and is renamed over it only when complete, so a refused or broken upload leaves
   * nothing behind; an existing file keeps its permissions.
   */
  async upload(id: string, name: string, rawPath: unknown, request: IncomingMessage): Promise<FileWritten> {
    const path = instancePath(rawPath, { forWrite: true });
    const declared = request.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared)) throw new LengthRequiredError();
    const size = Number(declared);
    const limit = this.options.uploadMaxBytes;
    if (size > limit) {
      throw new PayloadTooLargeError(limit, `The upload is ${megabytes(size)}, over the limit of ${megabytes(limit)} (UPLOAD_MAX_BYTES).`);
    }
    const containerId = await this.containerOf(id, name);
    const { dir, name: fileName } = splitPath(path);
    const made = await this.run(containerId, ['mkdir', '-p', '--', dir]);
    if (made.exitCode !== 0) throw new BadRequestError(`Cannot create ${dir}: ${made.stderr.trim()}`);
    const existing = await this.options.driver.files.stat(containerId, path);
    if (existing?.isDir) throw new BadRequestError(`${path} is a folder.`);

    const temporary = `.${fileName}.upload-${randomBytes(6).toString('hex')}`;
    const archive = pack();
    const entry = archive.entry({ name: temporary, size, mode: existing?.permissions ?? 0o644, uid: 0, gid: 0 }, (error) => {
      if (error) archive.destroy(error);
      else archive.finalize();
    });
    const stop = new AbortController();
    const interrupted = new Promise<never>((_, reject) => {
      request.once('close', () => {
        if (!request.complete) reject(new BadRequestError('The upload was interrupted.'));
      });
      request.once('error', reject);
    });
    interrupted.catch(() => {
      stop.abort();
      archive.destroy();
    });
    request.pipe(entry);
    try {
      await Promise.race([this.options.driver.files.extract(containerId, dir, archive, stop.signal), interrupted]);
      const moved = await this.run(containerId, ['mv', '-f', '--', `${dir}/${temporary}`, path]);
      if (moved.exitCode !== 0) throw new BadRequestError(`Cannot write ${path}: ${moved.stderr.trim()}`);
    } catch (error) {
      await this.run(containerId, ['rm', '-f', '--', `${dir === '/' ? '' : dir}/${temporary}`]).catch(() => {});
      throw error;
    }
    return { path, size };
  }
}
