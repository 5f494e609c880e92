// The token that tells a late async answer whether the session it was asked for is still the one on screen.

/**
 * A visit lasts from showing a session (or a waiting line, a workshop link) until the page moves
 * on. Each async task keeps the visit it began in and checks it before touching the page, so an
 * answer about an earlier session never lands on the current one.
 */
export class Visit {
  #current = 0;
  #abort: AbortController | null = null;

  get current(): number {
    return this.#current;
  }

  /** Aborts the requests of the current visit when it ends; undefined before the first one began. */
  get signal(): AbortSignal | undefined {
    return this.#abort?.signal;
  }

  isCurrent(visit: number): boolean {
    return visit === this.#current;
  }

  /** Ends the current visit and begins the next: its requests are aborted, its late answers dropped. */
  next(): void {
    this.#current += 1;
    this.#abort?.abort();
    this.#abort = new AbortController();
  }
}
