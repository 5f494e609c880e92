import { describe, expect, it } from 'vitest';
import { sessionLogName } from '../log';
import { isWellFormedSessionId, newSessionId, sessionKey } from './session-key';

describe('session ids', () => {
  it('are URL-safe, 128-bit and distinct', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, 'base64url').length).toBe(16);
      expect(isWellFormedSessionId(id)).toBe(true);
    }
  });

  it('rejects ids of another shape', () => {
    for (const id of ['', 'short', '../../etc/passwd', 'a'.repeat(23), 'a'.repeat(21) + '/']) {
      expect(isWellFormedSessionId(id)).toBe(false);
    }
  });

  it('keys do not reveal the id and logs show only a prefix of the key', () => {
    const id = newSessionId();
    const key = sessionKey(id);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain(id);
    expect(sessionKey(id)).toBe(key);
    expect(sessionLogName(key)).toHaveLength(8);
  });
});
