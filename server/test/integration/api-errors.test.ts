import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, createSession, startTestPlayground, TestTerminal } from './harness';

describe('bad input gets a clear error and harms nothing', () => {
  let playground: Playground;
  let sessionId: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    sessionId = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('unknown or malformed session ids are 404 with a JSON error', async () => {
    for (const [method, path] of [
      ['GET', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'],
      ['DELETE', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/api/sessions/..%2F..%2Fetc'],
      ['GET', '/api/sessions/%E0%A4%A'],
      ['POST', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/instances/node1/exec'],
    ] as const) {
      const { status, json } = await api(playground, method, path, method === 'POST' ? { cmd: ['true'] } : undefined);
      expect(status, `${method} ${path}`).toBe(404);
      expect(json.error.code).toBe('session_not_found');
      expect(json.error.message).toMatch(/does not exist or has ended/);
    }
  });

  it('an unknown instance is 404', async () => {
    const { status, json } = await api(playground, 'POST', `/api/sessions/${sessionId}/instances/node7/exec`, {
      cmd: ['true'],
    });
    expect(status).toBe(404);
    expect(json.error.code).toBe('instance_not_found');
  });

  it('malformed bodies are 400 and oversized ones 413', async () => {
    const execPath = `/api/sessions/${sessionId}/instances/node1/exec`;
    for (const body of ['{not json', '[1,2]', '{"cmd":"ls"}', '{"cmd":[]}', '{"cmd":["ls"],"timeoutMs":-1}']) {
      const { status, json } = await api(playground, 'POST', execPath, body);
      expect(status, body).toBe(400);
      expect(json.error.code).toBe('bad_request');
    }
    const huge = await api(playground, 'POST', execPath, { cmd: ['echo', 'x'.repeat(100_000)] });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('payload_too_large');
  });

  it('unknown API paths are 404 and wrong methods 405, both JSON', async () => {
    expect((await api(playground, 'GET', '/api/nothing')).json.error.code).toBe('not_found');
    const wrong = await api(playground, 'PUT', '/api/sessions');
    expect(wrong.status).toBe(405);
    expect(wrong.json.error.code).toBe('method_not_allowed');
  });

  it('a terminal socket to an unknown session or instance closes with 4404', async () => {
    const unknownSession = new TestTerminal(playground, 'AAAAAAAAAAAAAAAAAAAAAA');
    expect((await unknownSession.waitForClose()).code).toBe(4404);
    const unknownInstance = new TestTerminal(playground, sessionId, 'node9');
    expect(await unknownInstance.waitForClose()).toEqual({ code: 4404, reason: 'instance not found' });
  });

  it('malformed frames get an error message and the terminal keeps working', async () => {
    const terminal = new TestTerminal(playground, sessionId);
    await terminal.opened;
    terminal.send('not json');
    terminal.send({ type: 'resize', cols: -1, rows: 5 });
    terminal.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    // Typed at once, while the shell is still being opened: held, not dropped.
    terminal.type('echo still-$((40+2))\r');
    await terminal.waitForOutput(/still-42/);
    const errors = terminal.messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(3);
    expect(errors.every((m) => m.type === 'error' && m.code === 'malformed_message')).toBe(true);
    expect(terminal.closed).toBeUndefined();
    terminal.close();
  });

  it('every response carries the security headers', async () => {
    const response = await fetch(`${playground.url}/api/health`);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('still serves after all of that', async () => {
    expect((await api(playground, 'GET', `/api/sessions/${sessionId}`)).status).toBe(200);
  });
});
