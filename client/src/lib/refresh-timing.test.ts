import { describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../../server/src/protocol/api-types';
import { msLeft, POLL_INTERVAL_MS, POLL_STARTING_INTERVAL_MS, pollDelayMs } from './refresh-timing';

const instances = (...states: InstanceInfo['state'][]) => states.map((state) => ({ state }));

describe('pollDelayMs', () => {
  it('refreshes faster while an instance starts or a template is assembled', () => {
    expect(pollDelayMs({ instances: instances('running', 'starting') })).toBe(POLL_STARTING_INTERVAL_MS);
    expect(pollDelayMs({ instances: instances('running'), template: { state: 'assembling' } })).toBe(POLL_STARTING_INTERVAL_MS);
  });

  it('keeps the usual pace otherwise', () => {
    expect(pollDelayMs({ instances: instances('running', 'stopped') })).toBe(POLL_INTERVAL_MS);
    expect(pollDelayMs({ instances: instances('running'), template: { state: 'ready' } })).toBe(POLL_INTERVAL_MS);
    expect(pollDelayMs({ instances: [], template: { state: 'failed' } })).toBe(POLL_INTERVAL_MS);
    expect(pollDelayMs(null)).toBe(POLL_INTERVAL_MS);
  });
});

describe('msLeft', () => {
  it('counts down to the session end, past zero once it is over', () => {
    const session = { expiresAt: '2030-01-01T00:01:00.000Z' };
    const start = Date.parse('2030-01-01T00:00:00.000Z');
    expect(msLeft(session, start)).toBe(60_000);
    expect(msLeft(session, start + 61_000)).toBe(-1_000);
  });

  it('is 0 with no session', () => {
    expect(msLeft(null, Date.now())).toBe(0);
  });
});
