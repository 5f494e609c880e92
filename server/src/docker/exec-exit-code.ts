import type Docker from 'dockerode';

/**
 * The exit code of an exec whose output has ended. The engine can still report it as running for
 * a moment after the stream closes, so ask again briefly (bounded) before giving up with -1.
 */
export async function finishedExitCode(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect().catch(() => null);
    if (!info) return -1;
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return -1;
}
