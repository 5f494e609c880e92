import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Each session's real expiry, kept in a file beside the server's secret. Docker labels cannot
 * change, so they cannot carry an extended expiry, and a session claimed from the warm pool ends
 * before its labels say: after a restart the server reads the truth here (labels are the fallback).
 * One file per playground name, so neighbours on one engine never share it.
 *
 * A session being made is marked `unanswered` until its id has been handed to someone: a server
 * killed in between leaves a sandbox nobody can ever reach, which the next start removes.
 */
/** A session's end, the latest it may be moved to, and whether its id is still to be handed out. */
export interface SavedExpiry {
  expiresAt: Date;
  maxExpiresAt: Date;
  unanswered?: boolean;
}

interface Entry {
  expiresAt: number;
  maxExpiresAt: number;
  unanswered: boolean;
}

export class ExpiryStore {
  readonly #expiries = new Map<string, Entry>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string | undefined) {}

  /** The store in `file` (made when first written); an unreadable or malformed file counts as empty. */
  static async open(file: string): Promise<ExpiryStore> {
    const store = new ExpiryStore(file);
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, { expiresAt?: unknown; maxExpiresAt?: unknown; unanswered?: unknown }>;
      for (const [key, value] of Object.entries(saved)) {
        const expiresAt = typeof value?.expiresAt === 'string' ? Date.parse(value.expiresAt) : NaN;
        const maxExpiresAt = typeof value?.maxExpiresAt === 'string' ? Date.parse(value.maxExpiresAt) : NaN;
        if (/^[0-9a-f]{32}$/.test(key) && Number.isFinite(expiresAt) && Number.isFinite(maxExpiresAt)) {
          store.#expiries.set(key, { expiresAt, maxExpiresAt, unanswered: value.unanswered === true });
        }
      }
    } catch {
      // first start, or a damaged file: the labels' expiries stand in
    }
    return store;
  }

  /** A store that keeps nothing on disk (unit tests). */
  static inMemory(): ExpiryStore {
    return new ExpiryStore(undefined);
  }

  get(key: string): SavedExpiry | undefined {
    const saved = this.#expiries.get(key);
    return saved && { expiresAt: new Date(saved.expiresAt), maxExpiresAt: new Date(saved.maxExpiresAt), unanswered: saved.unanswered };
  }

  /** Saves a session's expiry; without `unanswered`, the mark it had stays as it was. */
  set(key: string, saved: SavedExpiry): Promise<void> {
    const unanswered = saved.unanswered ?? this.#expiries.get(key)?.unanswered ?? false;
    this.#expiries.set(key, { expiresAt: saved.expiresAt.getTime(), maxExpiresAt: saved.maxExpiresAt.getTime(), unanswered });
    return this.#save();
  }

  /** The session's id has been handed to its requester: from now on a restart adopts it. */
  markAnswered(key: string): Promise<void> {
    const saved = this.#expiries.get(key);
    if (!saved?.unanswered) return this.#writing;
    saved.unanswered = false;
    return this.#save();
  }

  delete(key: string): Promise<void> {
    if (!this.#expiries.delete(key)) return this.#writing;
    return this.#save();
  }

  /** Forgets every key not in `keep` (sessions that ended while the server was down). */
  retainOnly(keep: ReadonlySet<string>): Promise<void> {
    let changed = false;
    for (const key of [...this.#expiries.keys()]) {
      if (!keep.has(key)) changed = this.#expiries.delete(key) || changed;
    }
    return changed ? this.#save() : this.#writing;
  }

  /** Writes one after another, each whole (a new file renamed over the old), so a crash leaves one intact. */
  #save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const empty = this.#expiries.size === 0;
    const snapshot = JSON.stringify(
      Object.fromEntries(
        [...this.#expiries].map(([key, saved]) => [
          key,
          {
            expiresAt: new Date(saved.expiresAt).toISOString(),
            maxExpiresAt: new Date(saved.maxExpiresAt).toISOString(),
            ...(saved.unanswered ? { unanswered: true } : {}),
          },
        ]),
      ),
    );
    this.#writing = this.#writing
      .catch(() => {})
      .then(async () => {
        // Nothing to keep (every session ended): no file left behind, test servers' included.
        if (empty) return rm(file, { force: true });
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, snapshot, { mode: 0o600 });
        await rename(temporary, file);
      });
    return this.#writing;
  }
}
