import { createHash } from 'node:crypto';

/** Where a session's own registry answers, from its instances (a network alias on the session network). */
export const SESSION_REGISTRY_HOST = 'registry:5000';
export const SESSION_REGISTRY_USER = 'student';

/**
 * The password of a session's registry, derived from the session key so that pooled and adopted
 * sessions know it without storing it. The registry is reachable only from the session's own
 * network; the login is part of the exercise, not what keeps other sessions out (the network does).
 */
export function sessionRegistryPassword(sessionKey: string): string {
  return createHash('sha256').update(`${sessionKey}:registry`).digest('base64url').slice(0, 20);
}
