import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { InstanceNotRunningError } from '../errors';
import type { ShellProcess } from '../sandbox/driver';
import {
  SANDBOX_END_SHELL_COMMAND,
  SANDBOX_SHELL_ATTACH_NOISE,
  SANDBOX_SHELL_COMMAND,
  SANDBOX_SHELL_ENDED_EXIT_CODE,
  SANDBOX_SHELL_STATUS_COMMAND,
  SANDBOX_WORKING_DIR,
} from '../sandbox/contract';
import { asEngineError, dockerStatus } from './docker-errors';
import { runExec } from './docker-exec';

// The terminals' shells: each a client (a docker exec with a TTY) of a shell the sandbox keeps
// (sandbox/README.md, "The shell"), so a restarted server attaches to the same one.

/** The shell every terminal runs: a login shell, so the sandbox's profile sets the prompt. */
const SHELL_ENV = ['TERM=xterm-256color', 'LANG=C.UTF-8', 'COLORTERM=truecolor'];

/** Attaches to the sandbox's shell `name`, starting it if there is none. */
export async function openKeptShell(docker: Docker, containerId: string, size: { cols: number; rows: number }, name: string): Promise<ShellProcess> {
  try {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: [...SANDBOX_SHELL_COMMAND, name],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: SHELL_ENV,
      WorkingDir: SANDBOX_WORKING_DIR,
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    const resize = async (cols: number, rows: number) => {
      await exec.resize({ h: rows, w: cols });
    };
    await resize(size.cols, size.rows).catch(() => {});
    const exited = new Promise<number | null>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        exec.inspect().then(
          async (info) => resolve(info.ExitCode === SANDBOX_SHELL_ENDED_EXIT_CODE ? await shellStatus(docker, containerId, name) : (info.ExitCode ?? null)),
          () => resolve(null),
        );
      };
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
    });
    return { stream, resize, exited, attachNoise: SANDBOX_SHELL_ATTACH_NOISE };
  } catch (error) {
    // 404: no such container, 409: not running (both from outside the playground).
    const status = dockerStatus(error);
    if (status === 404 || status === 409) throw new InstanceNotRunningError();
    throw asEngineError(error);
  }
}

/** The exit status the login shell `name` left (its holder keeps it); null when unknown. */
async function shellStatus(docker: Docker, containerId: string, name: string): Promise<number | null> {
  try {
    const outcome = await runExec(docker, containerId, [...SANDBOX_SHELL_STATUS_COMMAND, name], { timeoutMs: 10_000, maxOutputBytes: 64 });
    const status = outcome.stdout.trim();
    return /^\d{1,3}$/.test(status) ? Number(status) : null;
  } catch {
    return null;
  }
}

/** Ends the kept shell `name` and its jobs (a closed tab). */
export async function endKeptShell(docker: Docker, containerId: string, name: string): Promise<void> {
  const outcome = await runExec(docker, containerId, [...SANDBOX_END_SHELL_COMMAND, name], { timeoutMs: 10_000, maxOutputBytes: 4096 });
  if (outcome.exitCode !== 0) throw new Error(`ending shell ${name} failed (${outcome.exitCode}): ${outcome.stderr.trim()}`);
}
