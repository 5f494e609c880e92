/**
 * At most `max` things at once per key (a session's running execs, its preview WebSockets). Pure.
 * A taken place is given back with the function tryTake returns; keys at zero are forgotten, so the
 * map holds only keys with something running.
 */
export class ConcurrencyCap {
  private readonly running = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A release function, or undefined when `key` already has `max` running. Releasing twice is harmless. */
  tryTake(key: string): (() => void) | undefined {
    const count = this.running.get(key) ?? 0;
    if (count >= this.max) return undefined;
    this.running.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }

  countOf(key: string): number {
    return this.running.get(key) ?? 0;
  }

  /** Keys with something running. */
  get size(): number {
    return this.running.size;
  }
}
