/**
 * Runs `npm run cluster -- <command>` as a child process, for the cluster test layer and the
 * cluster bench: its output, or an Error carrying its tail. `env` is added to the command's
 * environment (CLUSTER_NODE_MAX_INSTANCES, CLUSTER_FRONT_PORT); an inherited DOCKER_HOST is dropped.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function clusterCommand(command: 'up' | 'down' | 'status', options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
  const { DOCKER_HOST: _ignored, ...inherited } = process.env;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/cluster/cluster.ts', command], {
      cwd: REPO_ROOT,
      env: { ...inherited, ...options.env },
      timeout: options.timeoutMs ?? 1_100_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`npm run cluster -- ${command} failed: ${failed.message}\n${(failed.stdout ?? '').slice(-3000)}\n${(failed.stderr ?? '').slice(-3000)}`);
  }
}

/** The last line a command printed (`up`'s names the front). */
export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
