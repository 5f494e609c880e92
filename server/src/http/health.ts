import type { SandboxDriver } from '../sandbox/driver';

/** Caches the readiness check briefly so a busy health endpoint does not hammer the engine. */
export class HealthCheck {
  private cached: { at: number; problem: string | null } | undefined;
  private pending: Promise<string | null> | undefined;

  constructor(
    private readonly driver: SandboxDriver,
    private readonly cacheMs = 2000,
  ) {}

  /** null when the playground can serve; otherwise the reason it cannot. */
  async problem(): Promise<string | null> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.problem;
    this.pending ??= this.driver
      .readinessProblem()
      .then((problem) => {
        this.cached = { at: Date.now(), problem };
        return problem;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}
