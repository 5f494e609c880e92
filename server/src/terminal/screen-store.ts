import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Which terminal: its session's key, its instance and its number (the tab). */
export interface TerminalAddress {
  sessionKey: string;
  instance: string;
  n: number;
}

const KEY = /^[0-9a-f]{32}$/;
const INSTANCE = /^[A-Za-z0-9_-]{1,64}$/;
const FILE = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{1,64})\.([1-9][0-9]{0,2})\.screen$/;

/**
 * The last output of every terminal, on disk. The sandbox keeps a shell running when the server
 * goes (sandbox/README.md, "Shells"); what the shell printed meanwhile went nowhere, so a restarted
 * server replays what was saved here and the reconnecting browser finds the screen it had.
 * Saved every few seconds while output changes and at shutdown: a kill loses at most the last
 * seconds of output, never the shell. One directory per playground name, so neighbours on one
 * engine never share it.
 */
export class ScreenStore {
  /** Saved screens by file name: what numbersOf() answers without reading the disk. */
  readonly #saved = new Set<string>();
  /** One write or removal at a time per file, in call order: a removal never loses to an older write. */
  readonly #queues = new Map<string, Promise<void>>();

  private constructor(private readonly dir: string | undefined) {}

  /** The store in `dir` (made when first written); files that are not screens are left alone. */
  static async open(dir: string): Promise<ScreenStore> {
    const store = new ScreenStore(dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (FILE.test(name)) store.#saved.add(name);
    return store;
  }

  /** A store that keeps nothing (unit tests, and servers with no place to write). */
  static none(): ScreenStore {
    return new ScreenStore(undefined);
  }

  /** The saved screen, or undefined when there is none (or the address is not one we write). */
  async load(address: TerminalAddress): Promise<Buffer | undefined> {
    const name = fileName(address);
    if (!this.dir || !name || !this.#saved.has(name)) return undefined;
    await this.#queues.get(name);
    return readFile(path.join(this.dir, name)).catch(() => undefined);
  }

  save(address: TerminalAddress, screen: Buffer): Promise<void> {
    const name = fileName(address);
    if (!this.dir || !name) return Promise.resolve();
    const dir = this.dir;
    this.#saved.add(name);
    return this.#enqueue(name, async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Written aside and renamed: a kill mid-write leaves the previous screen, never half of one.
      const temporary = path.join(dir, `${name}.${process.pid}.tmp`);
      await writeFile(temporary, screen, { mode: 0o600 });
      await rename(temporary, path.join(dir, name));
    });
  }

  remove(address: TerminalAddress): Promise<void> {
    const name = fileName(address);
    return name ? this.#removeFile(name) : Promise.resolve();
  }

  /** Removes the screens of one instance (deleted or restarted: its shells are gone). */
  removeInstance(sessionKey: string, instance: string): Promise<void> {
    return this.#removeWhere((file) => file.startsWith(`${sessionKey}.${instance}.`));
  }

  removeSession(sessionKey: string): Promise<void> {
    return this.#removeWhere((file) => file.startsWith(`${sessionKey}.`));
  }

  /** Removes the screens of sessions not in `keep` (ended while the server was down). */
  retainOnly(keep: ReadonlySet<string>): Promise<void> {
    return this.#removeWhere((file) => !keep.has(file.slice(0, 32)));
  }

  /** The numbers of an instance's saved screens, ascending. */
  numbersOf(sessionKey: string, instance: string): number[] {
    const prefix = `${sessionKey}.${instance}.`;
    return [...this.#saved]
      .filter((file) => file.startsWith(prefix))
      .map((file) => Number(FILE.exec(file)![3]))
      .sort((a, b) => a - b);
  }

  async #removeWhere(matches: (file: string) => boolean): Promise<void> {
    await Promise.all([...this.#saved].filter(matches).map((file) => this.#removeFile(file)));
  }

  #removeFile(name: string): Promise<void> {
    if (!this.dir || !this.#saved.delete(name)) return this.#queues.get(name) ?? Promise.resolve();
    const file = path.join(this.dir, name);
    return this.#enqueue(name, () => rm(file, { force: true }));
  }

  #enqueue(name: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    // A failed write is not worth more than the screen it would have kept: it never blocks the next.
    const next = previous.then(work).catch(() => {});
    this.#queues.set(name, next);
    void next.then(() => {
      if (this.#queues.get(name) === next) this.#queues.delete(name);
    });
    return next;
  }
}

function fileName({ sessionKey, instance, n }: TerminalAddress): string | undefined {
  if (!KEY.test(sessionKey) || !INSTANCE.test(instance) || !Number.isInteger(n) || n < 1 || n > 999) return undefined;
  return `${sessionKey}.${instance}.${n}.screen`;
}
