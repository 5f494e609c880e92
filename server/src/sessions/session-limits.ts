import { ExtendLimitError } from '../errors';
import type { Session } from './session';

/** SESSION_EXTEND, SESSION_MAX_TTL and SESSION_WARNING, as the service was configured. */
export interface ExtensionPolicy {
  stepMs: number;
  maxTtlMs: number;
  warnBeforeMs: number;
}

/** A new or adopted session's limits: how far it may be extended and when the page warns. */
export function applyLimits(session: Session, sessionTtlMs: number, extension: ExtensionPolicy | undefined): void {
  const maxTtlMs = Math.max(extension?.maxTtlMs ?? 0, sessionTtlMs);
  session.maxExpiresAt = new Date(Math.max(session.expiresAt.getTime(), session.createdAt.getTime() + maxTtlMs));
  // Never more than half the session: a short one still has time before the warning.
  session.warnBeforeMs = Math.min(extension?.warnBeforeMs ?? 0, sessionTtlMs / 2);
}

/** The session's end after one more extension (stepMs, capped at maxExpiresAt); ExtendLimitError when it cannot move. */
export function extendedExpiry(session: Session, stepMs: number): Date {
  const next = new Date(Math.min(session.expiresAt.getTime() + stepMs, session.maxExpiresAt.getTime()));
  if (next.getTime() <= session.expiresAt.getTime()) throw new ExtendLimitError(session.maxExpiresAt);
  return next;
}
