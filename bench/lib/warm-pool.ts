import os from 'node:os';
import type Docker from 'dockerode';
import { defaultWarmPoolSize } from '../../server/src/config';
import { SANDBOX_READY_LINE } from '../../server/src/sandbox/contract';
import { now, sleep } from './time';

/** The warm pool size a server started with this environment has (WARM_POOL, else the server's default). */
export function warmPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WARM_POOL;
  return raw !== undefined && raw !== '' ? Number(raw) : defaultWarmPoolSize(os.totalmem());
}

/**
 * Waits until at least `size` warm-pool sandboxes made since `since` are running and have printed
 * READY (the server names them playground-pool-*; it has no API for its pool). Returns false when
 * that did not happen within timeoutMs: a run then simply finds the pool short.
 */
export async function waitForWarmPool(docker: Docker, options: { size: number; since: Date; timeoutMs?: number }): Promise<boolean> {
  if (options.size <= 0) return true;
  const deadline = now() + (options.timeoutMs ?? 60_000);
  const sinceSeconds = Math.floor(options.since.getTime() / 1000) - 1;
  while (now() < deadline) {
    const containers = await docker.listContainers({ filters: { name: ['playground-pool-'], status: ['running'] } });
    let ready = 0;
    for (const info of containers.filter((container) => container.Created >= sinceSeconds)) {
      const logs = (await docker.getContainer(info.Id).logs({ stdout: true, stderr: false, tail: 200 }).catch(() => Buffer.alloc(0))) as Buffer;
      if (logs.toString('latin1').includes(SANDBOX_READY_LINE)) ready++;
    }
    if (ready >= options.size) return true;
    await sleep(250);
  }
  return false;
}
