import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import type { ErrorBody } from '../../src/protocol/api-types';
import { api, createSession, PROMPT, startTestPlayground, TestTerminal } from './harness';

// Operations: Prometheus metrics, liveness and readiness, request ids in answers.

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(playground: Playground): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${playground.url}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('operations: metrics, probes and request ids', () => {
  let playground: Playground;
  let sessionId: string;
  beforeAll(async () => {
    // One session at most: a second is refused with at_capacity, which the metrics count.
    playground = await startTestPlayground({ MAX_SESSIONS: '1' });
    sessionId = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('answers liveness and readiness with 200', async () => {
    const live = await api(playground, 'GET', '/api/health/live');
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
    const ready = await api(playground, 'GET', '/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ok' });
    // The existing health answer is unchanged.
    const health = await api(playground, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
  });

  it('shows the session, terminal bytes and time to prompt in /metrics', async () => {
    const terminal = new TestTerminal(playground, sessionId);
    await terminal.opened;
    await terminal.waitForOutput(PROMPT, 60_000);
    terminal.type('echo metrics-$((40+2))\r');
    await terminal.waitForOutput(/^metrics-42\r?$/m);
    terminal.close();

    const { status, contentType, text } = await scrape(playground);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'playground_sessions')).toBe(1);
    expect(sample(text, 'playground_instances')).toBe(1);
    expect(sample(text, 'playground_warm_pool_ready')).toBe(0);
    expect(sample(text, 'playground_waiting_line')).toBe(0);
    expect(sample(text, 'playground_terminal_bytes_total{direction="out"}')).toBeGreaterThanOrEqual(terminal.outputBytes);
    expect(terminal.outputBytes).toBeGreaterThan(0);
    expect(sample(text, 'playground_terminal_bytes_total{direction="in"}')).toBeGreaterThanOrEqual(Buffer.byteLength('echo metrics-$((40+2))\r'));
    expect(sample(text, 'playground_time_to_prompt_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
  });

  it('puts the request id of the x-request-id header in every error answer, and counts the refusal', async () => {
    const refused = await fetch(`${playground.url}/api/sessions`, { method: 'POST', headers: { 'x-request-id': 'ops-test.refusal_1' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-request-id')).toBe('ops-test.refusal_1');
    const body = (await refused.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'at_capacity', requestId: 'ops-test.refusal_1' });

    // Without an id (or with an ill-formed one) the server makes one, and the body carries the same.
    const headerSets: Array<Record<string, string>> = [{}, { 'x-request-id': 'not well formed!' }];
    for (const headers of headerSets) {
      const missing = await fetch(`${playground.url}/api/sessions/AAAAAAAAAAAAAAAAAAAAAA`, { headers });
      expect(missing.status).toBe(404);
      const id = missing.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await missing.json()) as ErrorBody).error).toMatchObject({ code: 'session_not_found', requestId: id });
    }

    const { text } = await scrape(playground);
    expect(sample(text, 'playground_admissions_refused_total{reason="at_capacity"}')).toBe(1);
    expect(sample(text, 'playground_admissions_refused_total{reason="rate_limited"}')).toBe(0);
  });

  it('gives successful answers a request id too', async () => {
    const response = await fetch(`${playground.url}/api/health/live`);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('operations: METRICS=off', () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground({ METRICS: 'off' });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('does not serve /metrics', async () => {
    const { status, text } = await scrape(playground);
    expect(status).toBe(404);
    expect(text).not.toContain('playground_sessions');
  });
});
