import type Docker from 'dockerode';
import { Writable, type Duplex } from 'node:stream';
import type { ExecOptions, ExecOutcome } from '../sandbox/driver';
import { SANDBOX_WORKING_DIR } from '../sandbox/contract';
import { asEngineError } from './docker-errors';
import { finishedExitCode } from './exec-exit-code';

/**
 * Runs a command in a sandbox without a TTY, to its end or its timeout, keeping at most
 * maxOutputBytes of each of stdout and stderr.
 */
export async function runExec(docker: Docker, containerId: string, cmd: string[], options: ExecOptions): Promise<ExecOutcome> {
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  const container = docker.getContainer(containerId);
  // `timeout` inside the sandbox kills the command itself: Docker has no API to stop an exec.
  const exec = await container
    .exec({
      Cmd: ['timeout', '--signal=KILL', String(seconds), ...cmd],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      WorkingDir: SANDBOX_WORKING_DIR,
      Env: ['LANG=C.UTF-8'],
    })
    .catch((error) => {
      throw asEngineError(error);
    });
  const started = Date.now();
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const stdout = new BoundedCollector(options.maxOutputBytes);
  const stderr = new BoundedCollector(options.maxOutputBytes);
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve) => {
    // A backstop in case the stream never ends (the engine went away mid-command).
    const guard = setTimeout(() => stream.destroy(), options.timeoutMs + 10_000);
    stream.once('close', () => {
      clearTimeout(guard);
      resolve();
    });
    stream.once('end', () => {
      clearTimeout(guard);
      resolve();
    });
    stream.once('error', () => {
      clearTimeout(guard);
      resolve();
    });
  });
  const exitCode = await finishedExitCode(exec);
  const timedOut = exitCode === 137 && Date.now() - started >= seconds * 1000 - 50;
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    timedOut,
    truncated: stdout.truncated || stderr.truncated,
  };
}

/** Keeps at most `limit` bytes of a stream and drains the rest, so the producer never blocks. */
class BoundedCollector extends Writable {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const room = this.limit - this.size;
    if (room > 0) {
      const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(kept);
      this.size += kept.length;
    }
    if (chunk.length > room) this.truncated = true;
    callback();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

