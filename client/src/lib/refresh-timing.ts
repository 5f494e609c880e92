// When the session on screen is asked for again, and how long it has left: the loops' arithmetic, apart from their timers.
import type { InstanceInfo, SessionInfo, TemplateProgress } from '../../../server/src/protocol/api-types';

/** How often the session is refreshed while shown. */
export const POLL_INTERVAL_MS = 3_000;
/** Refresh faster while an instance is still starting, so its terminal opens promptly. */
export const POLL_STARTING_INTERVAL_MS = 1_000;
/** How often each instance's CPU and memory are asked for. */
export const STATS_INTERVAL_MS = 3_000;

/** The wait before the next refresh: short while an instance starts or a template is assembled. */
export function pollDelayMs(
  session: { instances: readonly Pick<InstanceInfo, 'state'>[]; template?: Pick<TemplateProgress, 'state'> } | null,
): number {
  const starting = (session?.instances.some((instance) => instance.state === 'starting') ?? false) || session?.template?.state === 'assembling';
  return starting ? POLL_STARTING_INTERVAL_MS : POLL_INTERVAL_MS;
}

/** What the countdown shows at `now`: 0 with no session, negative once past its end. */
export function msLeft(session: Pick<SessionInfo, 'expiresAt'> | null, now: number): number {
  return session ? Date.parse(session.expiresAt) - now : 0;
}
