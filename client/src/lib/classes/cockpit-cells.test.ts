import { describe, expect, it } from 'vitest';
import type { CockpitRow } from '../../../../server/src/protocol/api-types';
import { cellState, stuckFor, stuckLongest } from './cockpit-cells';

const row = (name: string, extra: Partial<CockpitRow> = {}): CockpitRow => ({ name, joinedAt: '2026-12-03T10:00:00Z', state: 'live', passed: [], current: 1, stuckSeconds: 0, ...extra });

describe('cockpit cells', () => {
  it('say passed, here or not yet; an ended learner is nowhere', () => {
    const ada = row('Ada', { passed: [1], current: 2 });
    expect([1, 2, 3].map((step) => cellState(ada, step))).toEqual(['passed', 'here', 'not yet']);
    expect(cellState(row('Gone', { state: 'ended', current: 1 }), 1)).toBe('not yet');
  });

  it('say how long someone has been stuck, and who longest', () => {
    expect([30, 240, 3_900].map(stuckFor)).toEqual(['just now', '4 min', '1 h 5 min']);
    expect(stuckLongest([row('Ada', { stuckSeconds: 120 }), row('Grace', { stuckSeconds: 600 }), row('Gone', { state: 'ended', stuckSeconds: 9_000 })])).toBe('Grace');
    expect(stuckLongest([row('Ada', { stuckSeconds: 30 })])).toBeUndefined();
  });
});
