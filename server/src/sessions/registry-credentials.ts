import { createHmac } from 'node:crypto';

/** Where a session's own registry answers, from its instances (a network alias on the session network). */
export const SESSION_REGISTRY_HOST = 'registry:5000';
export const SESSION_REGISTRY_USER = 'student';

/**
 * Passwords of sessions' registries, derived from the session key and the server's secret
 * (secrets/server-secret.ts): pooled and adopted sessions know theirs without storing it, and
 * nobody can compute one from the key, which every preview link carries. The registry is reachable
 * only from the session's own network; the login is part of the exercise and a second lock.
 */
export class RegistryPasswords {
  constructor(private readonly secret: Buffer) {}

  passwordOf(sessionKey: string): string {
    return createHmac('sha256', this.secret).update(`${sessionKey}:registry`).digest('base64url').slice(0, 20);
  }
}
