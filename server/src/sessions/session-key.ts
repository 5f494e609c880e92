import { createHash, randomBytes } from 'node:crypto';

/**
 * A session id is the capability that controls a session: 16 random bytes (128 bits), base64url,
 * 22 characters. It is never stored in Docker or written to logs in full.
 */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isWellFormedSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}

/**
 * The session key names a session in Docker labels and resource names: a one-way digest of the
 * id, so anyone who can list containers on the host still cannot take over a session.
 */
export function sessionKey(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 32);
}

