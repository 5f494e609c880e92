import { describe, expect, it } from 'vitest';
import { createLogger, textLine, type LogFormat } from './log';

function capture(format: LogFormat) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger(format, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { logger, out, err };
}

describe('textLine', () => {
  it('writes time, level, message, then key=value fields in order', () => {
    const line = textLine({ level: 'info', time: '2026-11-23T19:00:00.000Z', session: 'ab12cd34', count: 2, ok: true, msg: 'session created' });
    expect(line).toBe('2026-11-23T19:00:00.000Z info session created session=ab12cd34 count=2 ok=true');
  });
});

describe('createLogger', () => {
  it('text: one readable line per event, info on stdout, warn and error on stderr, undefined fields left out', () => {
    const { logger, out, err } = capture('text');
    logger.info('session created', { session: 'ab12cd34', gone: undefined });
    logger.warn('slow');
    logger.error('request failed', { status: 500, requestId: 'r-1' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info session created session=ab12cd34\n$/);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/Z warn slow\n$/);
    expect(err[1]).toMatch(/Z error request failed status=500 requestId=r-1\n$/);
  });

  it('json: pino JSON lines on stdout with level name, ISO time, message and fields', () => {
    const { logger, out, err } = capture('json');
    logger.info('session created', { session: 'ab12cd34' });
    logger.error('request failed', { requestId: 'r-1', status: 503 });
    expect(err).toEqual([]);
    expect(out).toHaveLength(2);
    const first = JSON.parse(out[0]!);
    expect(first).toMatchObject({ level: 'info', msg: 'session created', session: 'ab12cd34' });
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(first).not.toHaveProperty('pid');
    expect(JSON.parse(out[1]!)).toMatchObject({ level: 'error', msg: 'request failed', requestId: 'r-1', status: 503 });
  });
});
