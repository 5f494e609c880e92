import type Docker from 'dockerode';
import { SANDBOX_DOCKER_DATA_PATH, SANDBOX_FAILED_PREFIX, SANDBOX_READY_LINE } from '../../server/src/sandbox/contract';
import { sandboxHostConfig } from '../../server/src/docker/sandbox-host-config';
import { now, withTimeout } from './time';

/**
 * Sandboxes started directly from the sandbox image, without the server: the baselines. They are
 * labelled with this label only (not dev.playground.*: the playground's reaper must not take them
 * for its own leftovers) and named playground-bench-<run>-<n>.
 */
export const BENCH_LABEL = 'dev.playground-bench.run';

export interface DirectSandbox {
  name: string;
  volume: string;
  /** Milliseconds from creating the volume until the sandbox printed its READY line. */
  readyMs: number;
}

export class DirectSandboxes {
  #count = 0;

  constructor(
    private readonly docker: Docker,
    private readonly image: string,
    readonly runId: string,
  ) {}

  /**
   * Starts a sandbox as the server does (sandboxHostConfig() plus a fresh volume at
   * /var/lib/docker) and waits for PLAYGROUND_SANDBOX_READY on its output.
   */
  async start(timeoutMs = 90_000): Promise<DirectSandbox> {
    const name = `playground-bench-${this.runId}-${++this.#count}`;
    const volume = `${name}-docker`;
    const labels = { [BENCH_LABEL]: this.runId };
    const started = now();
    await this.docker.createVolume({ Name: volume, Labels: labels });
    const hostConfig = sandboxHostConfig();
    const container = await this.docker.createContainer({
      name,
      Image: this.image,
      Hostname: 'bench',
      Labels: labels,
      HostConfig: { ...hostConfig, Binds: [`${volume}:${SANDBOX_DOCKER_DATA_PATH}`] },
    });
    // Attached before the start, so the READY line cannot be missed.
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream & {
      destroy(): void;
    };
    const ready = new Promise<number>((resolve, reject) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text = (text + chunk.toString('latin1')).slice(-4096);
        if (text.includes(SANDBOX_READY_LINE)) resolve(now());
        const failed = text.indexOf(SANDBOX_FAILED_PREFIX);
        if (failed >= 0) reject(new Error(`direct sandbox failed: ${text.slice(failed, failed + 300)}`));
      });
      stream.on('end', () => reject(new Error('direct sandbox output ended before READY')));
    });
    try {
      await container.start();
      const at = await withTimeout(ready, timeoutMs, 'direct sandbox READY');
      return { name, volume, readyMs: at - started };
    } finally {
      stream.destroy();
    }
  }

  async remove(sandbox: Pick<DirectSandbox, 'name' | 'volume'>): Promise<void> {
    await this.docker
      .getContainer(sandbox.name)
      .remove({ force: true, v: true })
      .catch(ignoreNotFound);
    await this.docker.getVolume(sandbox.volume).remove().catch(ignoreNotFound);
  }

  /** Removes every container and volume of this run (label), whatever state they are in. */
  async removeAll(): Promise<void> {
    await removeBenchLeftovers(this.docker, (run) => run === this.runId);
  }
}

function ignoreNotFound(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}

/** Removes bench containers and volumes whose run label passes `which`. */
export async function removeBenchLeftovers(docker: Docker, which: (runId: string) => boolean): Promise<number> {
  let removed = 0;
  const containers = await docker.listContainers({ all: true, filters: { label: [BENCH_LABEL] } });
  for (const info of containers) {
    if (!which(info.Labels[BENCH_LABEL] ?? '')) continue;
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreNotFound);
    removed++;
  }
  const { Volumes } = await docker.listVolumes({ filters: { label: [BENCH_LABEL] } });
  for (const volume of Volumes ?? []) {
    if (!which(volume.Labels?.[BENCH_LABEL] ?? '')) continue;
    await docker.getVolume(volume.Name).remove().catch(ignoreNotFound);
    removed++;
  }
  return removed;
}
