import { afterAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, createSession, startTestPlayground, TEST_PLAYGROUND_NAME, waitFor } from './harness';

// A restarted server (same PLAYGROUND_NAME) takes its sessions over with the end they had: one
// claimed from the warm pool (whose labels say later) and one extended (whose labels say earlier).

describe('a restart keeps each session’s end', () => {
  const started: Playground[] = [];
  /** The sessions made here: the second server adopted them (not created), so they are deleted by id. */
  const made: string[] = [];
  afterAll(async () => {
    const last = started.at(-1);
    if (last) for (const id of made) await api(last, 'DELETE', `/api/sessions/${id}`);
    for (const playground of started) await playground.close({ removeSessions: true });
  });

  it('adopts a warm-pool session and an extended one at the ends they had, and extension goes on from there', async () => {
    // Both servers go by the same name: the second is the first restarted.
    const env = { WARM_POOL: '1', SESSION_TTL: '1h', SESSION_EXTEND: '30m', SESSION_MAX_TTL: '2h', PLAYGROUND_NAME: `${TEST_PLAYGROUND_NAME}-restarted` };
    const first = await startTestPlayground(env);
    started.push(first);
    await waitFor('a warm sandbox', async () => first.pool.readyCount > 0, 90_000);
    const pooled = await createSession(first);
    const toExtend = await createSession(first);
    made.push(pooled.id, toExtend.id);
    const extendedAnswer = await api(first, 'POST', `/api/sessions/${toExtend.id}/extend`);
    expect(extendedAnswer.status).toBe(200);
    const extended = extendedAnswer.json;
    // The extension moved the end 30 minutes past the labels' hour.
    expect(Date.parse(extended.expiresAt) - Date.parse(extended.maxExpiresAt)).toBe(-30 * 60_000);

    // Stopped the way SIGTERM stops it: sessions stay on the engine.
    await first.close();
    started.splice(started.indexOf(first), 1);
    const second = await startTestPlayground(env);
    started.push(second);

    for (const before of [pooled, extended]) {
      const after = await api(second, 'GET', `/api/sessions/${before.id}`);
      expect(after.status).toBe(200);
      expect(after.json.expiresAt).toBe(before.expiresAt);
      expect(after.json.maxExpiresAt).toBe(before.maxExpiresAt);
    }
    // Extended again on the new server: up to the longest allowed, then 409.
    const again = await api(second, 'POST', `/api/sessions/${extended.id}/extend`);
    expect(again.json.expiresAt).toBe(extended.maxExpiresAt);
    const refused = await api(second, 'POST', `/api/sessions/${extended.id}/extend`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('extend_limit');
  });
});
