import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock';
import type { WorkshopProgressInfo } from '../protocol/api-types';

/** What a saved session is: kept in its folder as saved.json, beside one disk image per instance. */
export interface SavedSession {
  id: string;
  savedAt: string;
  expiresAt: string;
  /** The instances in the order they were made (node1 first); each has `<name>.img` in the folder. */
  instances: string[];
  /** The workshop and how far it had got, with its number of steps then. */
  workshop?: WorkshopProgressInfo & { steps: number };
  /** Disk space the saved images take (allocated blocks, not their sparse size). */
  bytes: number;
}

/** 128 random bits, URL-safe: whoever has the link may resume or fork, so it cannot be guessed. */
const ID = /^[A-Za-z0-9_-]{22}$/;
const META = 'saved.json';
/** A folder without saved.json older than this is a save that died half-way (a kill, a full disk). */
const UNFINISHED_MAX_AGE_MS = 30 * 60_000;

export function newSavedId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Saved sessions on this server's disk, one folder each under `dir`: their instances' disk images
 * (sparse copies) and saved.json. A saved session keeps no sandbox running: only these files, until
 * `ttlMs` after the save. All of them together may take at most `quotaBytes` of disk.
 */
export class SavedStore {
  constructor(
    readonly dir: string,
    readonly quotaBytes: number,
    readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  static isId(text: string): boolean {
    return ID.test(text);
  }

  /** A new, empty folder for a save in progress; it becomes a saved session at commit(). */
  async begin(): Promise<{ id: string; folder: string }> {
    const id = newSavedId();
    const folder = path.join(this.dir, id);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return { id, folder };
  }

  imageOf(id: string, instance: string): string {
    return path.join(this.dir, id, `${instance}.img`);
  }

  /** Writes saved.json (aside, then renamed: a kill leaves an unfinished folder, never half a file). */
  async commit(saved: Omit<SavedSession, 'bytes' | 'savedAt' | 'expiresAt'>): Promise<SavedSession> {
    const now = this.clock.now();
    const complete: SavedSession = {
      ...saved,
      savedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
      bytes: await this.bytesOf(saved.id),
    };
    const folder = path.join(this.dir, saved.id);
    await writeFile(path.join(folder, `${META}.tmp`), JSON.stringify(complete, null, 2), { mode: 0o600 });
    await rename(path.join(folder, `${META}.tmp`), path.join(folder, META));
    return complete;
  }

  /** The saved session, or undefined when there is none by that id (or it has expired). */
  async get(id: string): Promise<SavedSession | undefined> {
    if (!SavedStore.isId(id)) return undefined;
    const saved = await this.#read(id);
    return saved && Date.parse(saved.expiresAt) > this.clock.now().getTime() ? saved : undefined;
  }

  /** saved.json, or undefined when there is none or it cannot be read (damaged: treated as unfinished). */
  async #read(id: string): Promise<SavedSession | undefined> {
    const text = await readFile(path.join(this.dir, id, META), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const saved = JSON.parse(text) as SavedSession;
      return typeof saved.expiresAt === 'string' && Array.isArray(saved.instances) ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(id: string): Promise<boolean> {
    if (!SavedStore.isId(id)) return false;
    const folder = path.join(this.dir, id);
    const existed = await stat(folder).then(
      () => true,
      () => false,
    );
    await rm(folder, { recursive: true, force: true });
    return existed;
  }

  /** Disk space the images of every saved (and half-saved) session take now. */
  async usedBytes(): Promise<number> {
    let total = 0;
    for (const id of await this.ids()) total += await this.bytesOf(id);
    return total;
  }

  /** Removes expired saved sessions and saves that never finished; returns how many went. */
  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    let removed = 0;
    for (const id of await this.ids()) {
      const folder = path.join(this.dir, id);
      const saved = await this.#read(id);
      let expired: boolean;
      if (saved === undefined) {
        // Unfinished: gone once nothing in it has been written for a while (a copy in progress
        // keeps its image's time fresh, however long it takes).
        const last = await this.#lastWritten(folder);
        expired = last !== undefined && now - last > UNFINISHED_MAX_AGE_MS;
      } else {
        expired = !(Date.parse(saved.expiresAt) > now);
      }
      if (expired) {
        await rm(folder, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** The latest modification time of the folder and its files (ms), or undefined when it is gone. */
  async #lastWritten(folder: string): Promise<number | undefined> {
    const info = await stat(folder).catch(() => undefined);
    if (!info) return undefined;
    let last = info.mtimeMs;
    for (const file of await readdir(folder).catch(() => [] as string[])) {
      const entry = await stat(path.join(folder, file)).catch(() => undefined);
      if (entry) last = Math.max(last, entry.mtimeMs);
    }
    return last;
  }

  private async ids(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((name) => SavedStore.isId(name));
  }

  private async bytesOf(id: string): Promise<number> {
    const folder = path.join(this.dir, id);
    let total = 0;
    for (const file of await readdir(folder).catch(() => [] as string[])) {
      if (!file.endsWith('.img')) continue;
      const info = await stat(path.join(folder, file)).catch(() => undefined);
      if (info?.isFile()) total += info.blocks * 512;
    }
    return total;
  }
}
