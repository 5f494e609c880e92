import { createHmac } from 'node:crypto';


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
