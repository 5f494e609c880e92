import type { SandboxDriver } from '../sandbox/driver';
import { sendJson } from './json-body';
import type { Route } from './route';

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

/** GET /api/health/live and /api/health/ready: the answers of the two probes. */
export interface ProbeBody {
  status: 'ok' | 'unavailable';
  /** Why the playground cannot serve (readiness only). */
  reason?: string;
}

/**
 * Probes for orchestrators and load balancers. Liveness asks nothing of the engine: a process that
 * answers is alive, and restarting it would not bring an engine back. Readiness is the health check:
 * the engine answers and the images are there, else 503 with the reason.
 */
export const healthRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/health\/live$/,
    handler: async (_context, _request, response) => {
      const body: ProbeBody = { status: 'ok' };
      sendJson(response, 200, body);
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/health\/ready$/,
    handler: async (context, _request, response) => {
      const problem = await context.health.problem();
      const body: ProbeBody = problem ? { status: 'unavailable', reason: problem } : { status: 'ok' };
      sendJson(response, problem ? 503 : 200, body);
    },
  },
];
