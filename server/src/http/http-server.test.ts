import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log';
import { PlaygroundMetrics } from '../metrics/playground-metrics';
import type { ErrorBody } from '../protocol/api-types';
import { hostAllowList } from './host-allow-list';
import { createHttpServer, type HttpServerContext, type PlaygroundHttpServer } from './http-server';

// The HTTP server's own duties, on loopback with fakes: request ids in answers and logs, /metrics,
// and the probes. The routes' behaviour against a real engine is in server/test/integration.

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  const record = (level: string) => (message: string, fields: Record<string, unknown> = {}) => lines.push({ level, message, fields });
  return { info: record('info'), warn: record('warn'), error: record('error') };
}

let running: PlaygroundHttpServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A server whose engine check answers `problem`, or throws when problem is an Error. */
async function serve(options: { problem: string | null | Error; metrics?: PlaygroundMetrics; lines?: LogLine[] }): Promise<string> {
  const context = {
    hosts: hostAllowList({ listenHost: '127.0.0.1', allowedOrigins: [], allowedHosts: [], publicHost: 'localhost' }),
    previews: { handleRequest: () => false, handleUpgrade: () => false },
    allowedOrigins: [],
    logger: recordingLogger(options.lines ?? []),
    metrics: options.metrics,
    health: { problem: async () => (options.problem instanceof Error ? Promise.reject(options.problem) : options.problem) },
    sessions: { sessionTtlMs: 3_600_000 },
    staticDir: '/nonexistent',
  } as unknown as HttpServerContext;
  running = createHttpServer(context);
  await new Promise<void>((resolve) => running!.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(running.server.address() as AddressInfo).port}`;
}

/** GET with a Host header of our choosing (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string, requestId: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}/api/health`, { headers: { host, 'x-request-id': requestId } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function freshMetrics(): PlaygroundMetrics {
  return new PlaygroundMetrics({ usage: () => ({ sessions: 2, instances: 3 }), warmPoolReady: () => 1 });
}

describe('createHttpServer: request ids', () => {
  it('echoes a well-formed x-request-id and puts it in the error body and the log line', async () => {
    const lines: LogLine[] = [];
    const url = await serve({ problem: new Error('engine exploded'), lines });
    const response = await fetch(`${url}/api/health`, { headers: { 'x-request-id': 'support-ticket.42' } });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-request-id')).toBe('support-ticket.42');
    expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: 'internal', requestId: 'support-ticket.42' });
    expect(lines).toEqual([
      { level: 'error', message: 'request failed', fields: expect.objectContaining({ requestId: 'support-ticket.42', status: 500, error: 'engine exploded' }) },
    ]);
  });

  it('gives a request without a usable id a new one, the same in header and body', async () => {
    const url = await serve({ problem: null });
    const response = await fetch(`${url}/api/nothing`, { headers: { 'x-request-id': 'has spaces' } });
    expect(response.status).toBe(404);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: 'not_found', requestId: id });
  });

  it('puts the id in answers refused before routing: a foreign Host, a foreign origin', async () => {
    const url = await serve({ problem: null });
    const misdirected = await getWithHost(url, 'evil.example', 'r-421');
    expect(misdirected.status).toBe(421);
    expect((JSON.parse(misdirected.body) as ErrorBody).error).toMatchObject({ code: 'misdirected_host', requestId: 'r-421' });
    const foreign = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: 'https://evil.example', 'x-request-id': 'r-403' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('x-request-id')).toBe('r-403');
    expect(((await foreign.json()) as ErrorBody).error).toMatchObject({ code: 'forbidden_origin', requestId: 'r-403' });
  });
});

describe('createHttpServer: probes', () => {
  it('live and ready answer 200 while the engine check passes', async () => {
    const url = await serve({ problem: null });
    const live = await fetch(`${url}/api/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  it('ready is 503 with the reason while the engine check fails; live stays 200', async () => {
    const url = await serve({ problem: 'Docker engine not reachable' });
    const ready = await fetch(`${url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'Docker engine not reachable' });
    expect((await fetch(`${url}/api/health/live`)).status).toBe(200);
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', reason: 'Docker engine not reachable', sessionTtlSeconds: 3600 });
  });
});

describe('createHttpServer: /metrics', () => {
  it('serves the registry in the Prometheus text format and counts server faults', async () => {
    const metrics = freshMetrics();
    const url = await serve({ problem: new Error('boom'), metrics });
    expect((await fetch(`${url}/api/health`)).status).toBe(500);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    const text = await response.text();
    expect(text).toMatch(/^playground_sessions 2$/m);
    expect(text).toMatch(/^playground_engine_errors_total\{code="internal"\} 1$/m);
  });

  it('refuses other methods with 405', async () => {
    const url = await serve({ problem: null, metrics: freshMetrics() });
    const response = await fetch(`${url}/metrics`, { method: 'DELETE' });
    expect(response.status).toBe(405);
  });

  it('is 404 when metrics are off', async () => {
    const url = await serve({ problem: null });
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });
});
