import type Docker from 'dockerode';
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import { asEngineError } from './docker-errors';
import { finishedExitCode } from './exec-exit-code';
import type { PathStat, SandboxFiles } from '../sandbox/sandbox-files';

/** Paths, as separate arguments after `--` or `$1`: never parsed by a shell. */
const STAT_SCRIPT = 'exec find "$1" -maxdepth 0 -printf \'%y\\t%s\\t%m\\t%l\\0\'';

/**
 * Files in and out of a sandbox, by `find` and `tar` run inside it (exec). Docker's archive API
 * cannot be used: it reads the container's root file system as Docker set it up, which is
 * read-only, while the sandbox works in a root of its own on its size-limited disk (playground-init
 * pivots into it). Everything resolves inside the sandbox's own file system, as its processes see
 * it, so no path reaches the host. What the sandbox's tools answer is the visitor's own business:
 * it is parsed defensively and only ever sent back to that session.
 */
export class DockerFiles implements SandboxFiles {
  constructor(private readonly docker: Docker) {}

  /** The path's stat, or undefined when nothing is there. */
  async stat(containerId: string, path: string): Promise<PathStat | undefined> {
    const { stdout, exitCode } = await this.collect(containerId, ['sh', '-c', STAT_SCRIPT, 'sh', path]);
    if (exitCode !== 0) return undefined;
    const [type, size, mode, linkTarget] = stdout.split('\0')[0]!.split('\t');
    if (type === undefined || size === undefined || mode === undefined) return undefined;
    return {
      name: path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1),
      size: Number(size) || 0,
      permissions: parseInt(mode, 8) & 0o7777,
      isDir: type === 'd',
      linkTarget: type === 'l' ? (linkTarget ?? '') : '',
    };
  }

  /** A tar archive of the path (a file, or a folder with everything in it), named by its last part. */
  async archive(containerId: string, path: string): Promise<Readable> {
    const slash = path.lastIndexOf('/');
    const [dir, base] = path === '/' ? ['/', '.'] : [path.slice(0, slash) || '/', path.slice(slash + 1)];
    const { stdout } = await this.start(containerId, ['tar', '-C', dir, '-cf', '-', '--', base], false);
    return stdout;
  }

  /**
   * Unpacks a tar stream into a folder of the sandbox. Aborting (`signal`) ends the exec's input, so
   * a broken source never leaves a tar process waiting.
   */
  async extract(containerId: string, dir: string, tar: Readable, signal: AbortSignal): Promise<void> {
    const { stdin, stderr, exited } = await this.start(containerId, ['tar', '-x', '--no-same-owner', '-C', dir, '-f', '-'], true);
    const abort = () => stdin.destroy();
    signal.addEventListener('abort', abort, { once: true });
    tar.on('error', abort);
    tar.pipe(stdin);
    let errors = '';
    stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
    const exitCode = await exited;
    signal.removeEventListener('abort', abort);
    if (signal.aborted) throw new Error('the upload was aborted');
    if (exitCode !== 0) throw new Error(`tar could not unpack into ${dir}: ${errors.trim() || `exit ${exitCode}`}`);
  }

  /** Runs a command to its end and collects its output (small: stats). */
  private async collect(containerId: string, cmd: string[]): Promise<{ stdout: string; exitCode: number }> {
    const { stdout, exited } = await this.start(containerId, cmd, false);
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
    const exitCode = await exited;
    return { stdout: Buffer.concat(chunks).toString('utf8'), exitCode };
  }

  /** Starts a command in the sandbox: its stdout and stderr as streams, stdin when asked, and its exit code. */
  private async start(
    containerId: string,
    cmd: string[],
    withStdin: boolean,
  ): Promise<{ stdin: Duplex; stdout: PassThrough; stderr: PassThrough; exited: Promise<number> }> {
    try {
      const exec = await this.docker.getContainer(containerId).exec({
        Cmd: cmd,
        AttachStdin: withStdin,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        WorkingDir: '/',
        Env: ['LANG=C.UTF-8'],
      });
      const stream = (await exec.start({ hijack: true, stdin: withStdin })) as Duplex;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      this.docker.modem.demuxStream(stream, stdout, stderr);
      const exited = new Promise<number>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          stdout.end();
          stderr.end();
          void finishedExitCode(exec).then(resolve);
        };
        stream.once('end', finish);
        stream.once('close', finish);
        stream.once('error', finish);
      });
      // A reader that goes away (a download cut off) ends the exec's connection, and so tar.
      stdout.once('close', () => {
        if (!stdout.readableEnded) stream.destroy();
      });
      return { stdin: stream, stdout, stderr, exited };
    } catch (error) {
      throw asEngineError(error);
    }
  }
}
