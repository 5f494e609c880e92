import { execFile } from 'node:child_process';
import { mkdir, open, readdir, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AdmissionRefusedError } from '../errors';

/** Where disk images live by default: root-only, beside the engine's own data. */
export const DEFAULT_DISK_DIR = '/var/lib/docker-playground/disks';
/** An image file younger than this may belong to an instance another server is starting right now. */
const ORPHAN_MIN_AGE_MS = 2 * 60_000;

/** Copying a disk image reads and writes what it holds: gigabytes may take a while. */
const COPY_TIMEOUT_MS = 10 * 60_000;

function run(command: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
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
  /**
   * `overcommit` (SANDBOX_DISK_OVERCOMMIT): how many times the free space the disks' promises may
   * add up to. 1 is strict: every disk can be filled at once. Images are sparse, so most of a
   * promise is never used; a higher factor admits more instances and risks a full host disk.
   */
  constructor(
    private readonly dir: string,
    readonly sizeBytes: number,
    private readonly overcommit = 1,
  ) {}

  /** SANDBOX_DISK=0 turns the limit off (a plain volume on the host's disk). */
  get enabled(): boolean {
    return this.sizeBytes > 0;
  }

  private imageOf(volumeName: string): string {
    return path.join(this.dir, `${volumeName}.img`);
  }

  /**
   * Throws a 503 refusal, in words, unless the disk holding the images has the space a new disk
   * promises: its whole size, on top of what the disks already there may still grow by (divided by
   * the overcommit factor). Counting files rather than sessions covers pooled and starting instances
   * and other servers sharing the folder.
   */
  async checkRoom(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const disk = await statfs(this.dir);
    const free = disk.bavail * disk.bsize;
    let unusedPromises = 0;
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith('.img')) continue;
      const info = await stat(path.join(this.dir, file)).catch(() => null);
      if (info) unusedPromises += Math.max(0, info.size - info.blocks * 512);
    }
    const room = free - unusedPromises / this.overcommit;
    if (room < this.sizeBytes) {
      throw new AdmissionRefusedError(
        503,
        `The playground's disk is too full for another Docker host: each gets ${gib(this.sizeBytes)} and only ${gib(Math.max(0, room))} is left beyond what running ones may still use. Please try again later.`,
        60_000,
      );
    }
  }

  /**
   * Makes the file system for a data volume; returns the loop device to mount. `owner`: the
   * sandbox's remapped root, who must own the file system's top folder to write in it.
   */
  async create(volumeName: string, owner?: { uid: number; gid: number }, sizeBytes = this.sizeBytes): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const image = this.imageOf(volumeName);
    const file = await open(image, 'w', 0o600);
    try {
      await file.truncate(sizeBytes);
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

  /**
   * Like create(), but the file system is a copy of `source` (a saved instance disk): the new
   * instance starts with its Docker data and files. The copy stays sparse.
   */
  async createFrom(volumeName: string, source: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const image = this.imageOf(volumeName);
    try {
      await run('cp', ['--sparse=always', '--', source, image], COPY_TIMEOUT_MS);
      return (await run('losetup', ['--find', '--show', image])).trim();
    } catch (error) {
      await this.release(volumeName);
      throw error;
    }
  }

  /**
   * Copies the volume's image to `destination`, sparse. The caller makes it consistent (the
   * sandbox paused and its writes flushed): this only copies the bytes.
   */
  async copyTo(volumeName: string, destination: string): Promise<void> {
    await run('cp', ['--sparse=always', '--', this.imageOf(volumeName), destination], COPY_TIMEOUT_MS);
  }

  /**
   * The loop device of a disk that outlives sessions (the pull-through cache's): formats the image
   * only when it does not exist yet, and attaches it only when it is not attached (after a reboot,
   * say). Its content is kept either way.
   */
  async attach(volumeName: string, sizeBytes: number, owner?: { uid: number; gid: number }): Promise<string> {
    const image = this.imageOf(volumeName);
    const exists = await stat(image).then(
      () => true,
      () => false,
    );
    if (!exists) return this.create(volumeName, owner, sizeBytes);
    const attached = (await run('losetup', ['--associated', image])).split(':')[0]?.trim();
    return attached || (await run('losetup', ['--find', '--show', image])).trim();
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

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
