import { execFile } from 'node:child_process';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Where disk images live by default: root-only, beside the engine's own data. */
export const DEFAULT_DISK_DIR = '/var/lib/docker-playground/disks';
/** An image file younger than this may belong to an instance another server is starting right now. */
const ORPHAN_MIN_AGE_MS = 2 * 60_000;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${String(stderr).trim() || error.message}`));
      else resolve(String(stdout));
    });
  });
}

/**
 * A size-limited file system per instance for its nested Docker's images and containers: a sparse
 * file (takes only what is written), formatted ext4, attached to a loop device, mounted by Docker as
 * the instance's data volume. Filling it fails with "No space left on device" inside the instance
 * and leaves the host's disk alone. The loop device is a block device, which the sandbox's device
 * cgroup does not let it open.
 */
export class InstanceDisks {
  constructor(
    private readonly dir: string,
    readonly sizeBytes: number,
  ) {}

  /** SANDBOX_DISK=0 turns the limit off (a plain volume on the host's disk). */
  get enabled(): boolean {
    return this.sizeBytes > 0;
  }

  private imageOf(volumeName: string): string {
    return path.join(this.dir, `${volumeName}.img`);
  }

  /**
   * Makes the file system for a data volume; returns the loop device to mount. `owner`: the
   * sandbox's remapped root, who must own the file system's top folder to write in it.
   */
  async create(volumeName: string, owner?: { uid: number; gid: number }): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const image = this.imageOf(volumeName);
    const file = await open(image, 'w', 0o600);
    try {
      await file.truncate(this.sizeBytes);
    } finally {
      await file.close();
    }
    try {
      // Lazy init keeps formatting a 10 GiB file at a few milliseconds; -m 0: no blocks held for root.
      const extended = ['lazy_itable_init=1', 'lazy_journal_init=1', 'nodiscard'];
      if (owner) extended.push(`root_owner=${owner.uid}:${owner.gid}`);
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', extended.join(','), image]);
      return (await run('losetup', ['--find', '--show', image])).trim();
    } catch (error) {
      await this.release(volumeName);
      throw error;
    }
  }

  /** Detaches the volume's loop device(s) and deletes its image. Safe when there is none. */
  async release(volumeName: string): Promise<void> {
    const image = this.imageOf(volumeName);
    const attached = await run('losetup', ['--associated', image]).catch(() => '');
    for (const line of attached.split('\n')) {
      const device = line.split(':')[0]?.trim();
      if (device) await run('losetup', ['--detach', device]).catch(() => {});
    }
    await unlink(image).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Releases images whose volume no longer exists (a crash between volume removal and release). */
  async sweepOrphans(liveVolumeNames: ReadonlySet<string>, now = Date.now()): Promise<number> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    let released = 0;
    for (const file of files) {
      if (!file.endsWith('.img')) continue;
      const volumeName = file.slice(0, -'.img'.length);
      if (liveVolumeNames.has(volumeName)) continue;
      const info = await stat(path.join(this.dir, file)).catch(() => null);
      if (!info || now - info.mtimeMs < ORPHAN_MIN_AGE_MS) continue;
      await this.release(volumeName);
      released++;
    }
    return released;
  }
}
