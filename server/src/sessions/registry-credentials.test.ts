import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegistryPasswords } from './registry-credentials';

describe('session registry passwords', () => {
  const key = 'a'.repeat(32);

  it('are stable for one secret and key, and differ across keys and secrets', () => {
    const passwords = new RegistryPasswords(Buffer.alloc(32, 1));
    expect(passwords.passwordOf(key)).toBe(new RegistryPasswords(Buffer.alloc(32, 1)).passwordOf(key));
    expect(passwords.passwordOf(key)).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(passwords.passwordOf('b'.repeat(32))).not.toBe(passwords.passwordOf(key));
    expect(new RegistryPasswords(Buffer.alloc(32, 2)).passwordOf(key)).not.toBe(passwords.passwordOf(key));
  });

  it('cannot be computed from the key alone (the old derivation)', () => {
    const keyOnly = createHash('sha256').update(`${key}:registry`).digest('base64url').slice(0, 20);
    expect(new RegistryPasswords(Buffer.alloc(32, 1)).passwordOf(key)).not.toBe(keyOnly);
  });
});
