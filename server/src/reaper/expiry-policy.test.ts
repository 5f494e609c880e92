import { describe, expect, it } from 'vitest';
import type { ManagedResource } from '../sandbox/driver';
import { isExpired, ownResources, withSavedExpiries, planForeignSweep, planPeriodicSweep, planStartupSweep } from './expiry-policy';

const NOW = new Date('2026-11-23T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

function resource(overrides: Partial<ManagedResource>): ManagedResource {
  return {
    kind: 'container',
    id: 'c1',
    role: 'sandbox',
    sessionKey: 'k1',
    owner: 'default',
    instance: 'node1',
    expiresAt: minutes(60),
    createdAt: minutes(-10),
    running: true,
    ip: '10.0.0.2',
    pooled: false,
    ...overrides,
  };
}

describe('isExpired', () => {
  it('is true from the expiry instant on', () => {
    expect(isExpired(NOW, minutes(1))).toBe(false);
    expect(isExpired(NOW, NOW)).toBe(true);
    expect(isExpired(NOW, minutes(-1))).toBe(true);
  });
});

describe('planStartupSweep', () => {
  it('adopts a live session with its running instances', () => {
    const plan = planStartupSweep(
      NOW,
      [resource({}), resource({ kind: 'network', id: 'n1', role: 'session-network', instance: undefined })],
      120_000,
    );
    expect(plan.remove).toEqual([]);
    expect(plan.adopt).toEqual([
      {
        key: 'k1',
        createdAt: minutes(-10),
        expiresAt: minutes(60),
        instances: [{ name: 'node1', containerId: 'c1', ip: '10.0.0.2' }],
      },
    ]);
  });

  it('removes expired sessions, sessions without a valid expiry, and old ones without a running sandbox', () => {
    const plan = planStartupSweep(
      NOW,
      [
        resource({ sessionKey: 'expired', expiresAt: minutes(-1) }),
        resource({ sessionKey: 'no-expiry', expiresAt: undefined }),
        resource({ sessionKey: 'stopped', running: false }),
        resource({ sessionKey: 'only-network', kind: 'network', role: 'session-network' }),
      ],
      120_000,
    );
    expect(plan.remove.sort()).toEqual(['expired', 'no-expiry', 'only-network', 'stopped']);
    expect(plan.adopt).toEqual([]);
  });

  it('removes a running session whose id the last server never handed out (killed between making it and answering)', () => {
    const plan = planStartupSweep(
      NOW,
      [resource({ sessionKey: 'answered' }), resource({ sessionKey: 'unanswered', id: 'c2' })],
      120_000,
      (key) => key === 'unanswered',
    );
    expect(plan.remove).toEqual(['unanswered']);
    expect(plan.adopt.map((found) => found.key)).toEqual(['answered']);
  });

  it('never adopts a warm-pool sandbox: removes it unless it is young', () => {
    const plan = planStartupSweep(
      NOW,
      [
        resource({ sessionKey: 'old-pool', pooled: true, createdAt: minutes(-5) }),
        resource({ sessionKey: 'young-pool', pooled: true, createdAt: minutes(-0.5) }),
      ],
      120_000,
    );
    expect(plan).toEqual({ remove: ['old-pool'], adopt: [] });
  });

  it('leaves a young half-made session alone: another server may be creating it', () => {
    const plan = planStartupSweep(
      NOW,
      [resource({ kind: 'network', role: 'session-network', createdAt: minutes(-0.5) })],
      120_000,
    );
    expect(plan).toEqual({ remove: [], adopt: [] });
  });

  it('uses the earliest expiry of a group', () => {
    const plan = planStartupSweep(NOW, [resource({}), resource({ kind: 'volume', expiresAt: minutes(-5) })], 120_000);
    expect(plan.remove).toEqual(['k1']);
  });

  it('ignores resources without a session label', () => {
    expect(planStartupSweep(NOW, [resource({ sessionKey: undefined })], 120_000)).toEqual({ remove: [], adopt: [] });
  });
});

describe('planPeriodicSweep', () => {
  it('removes expired groups whoever owns them and unowned groups without expiry', () => {
    const remove = planPeriodicSweep(
      NOW,
      [
        resource({ sessionKey: 'expired', expiresAt: minutes(-1) }),
        resource({ sessionKey: 'other-server', expiresAt: minutes(30) }),
        resource({ sessionKey: 'mine-no-expiry', expiresAt: undefined }),
        resource({ sessionKey: 'orphan-no-expiry', expiresAt: undefined }),
      ],
      new Set(['mine-no-expiry']),
      600_000,
    );
    expect(remove.sort()).toEqual(['expired', 'orphan-no-expiry']);
  });

  it('leaves a live session to its own expiry, which an extension may have moved past its labels', () => {
    expect(planPeriodicSweep(NOW, [resource({ sessionKey: 'extended', expiresAt: minutes(-1) })], new Set(['extended']), 600_000)).toEqual([]);
  });

  it('removes warm-pool sandboxes no live pool owns once older than any pool keeps them', () => {
    const remove = planPeriodicSweep(
      NOW,
      [
        resource({ sessionKey: 'old-pool', pooled: true, createdAt: minutes(-20) }),
        resource({ sessionKey: 'young-pool', pooled: true, createdAt: minutes(-2) }),
        resource({ sessionKey: 'my-pool', pooled: true, createdAt: minutes(-20) }),
      ],
      new Set(['my-pool']),
      600_000,
    );
    expect(remove).toEqual(['old-pool']);
  });
});

describe('neighbours on one engine', () => {
  const resources = [
    resource({ sessionKey: 'mine' }),
    resource({ sessionKey: 'theirs-live', owner: 'test-1' }),
    resource({ sessionKey: 'theirs-just-expired', owner: 'test-1', expiresAt: minutes(-5) }),
    resource({ sessionKey: 'theirs-long-expired', owner: 'test-2', expiresAt: minutes(-90) }),
  ];

  it('adopts, counts and sweeps only its own', () => {
    expect(ownResources(resources, 'default').map((r) => r.sessionKey)).toEqual(['mine']);
    expect(planStartupSweep(NOW, ownResources(resources, 'default'), 120_000).adopt.map((s) => s.key)).toEqual(['mine']);
  });

  it("removes a neighbour's leftovers only long after they expired", () => {
    expect(planForeignSweep(NOW, resources, 'default', 60 * 60_000)).toEqual(['theirs-long-expired']);
    expect(planForeignSweep(NOW, resources, 'test-1', 60 * 60_000)).toEqual(['theirs-long-expired']);
  });
});

describe('saved expiries', () => {
  it('adopt an extended session whose labels say it has ended, at its saved expiry', () => {
    const resources = withSavedExpiries([resource({ sessionKey: 'extended', expiresAt: minutes(-5) })], (key) => (key === 'extended' ? minutes(25) : undefined));
    const plan = planStartupSweep(NOW, resources, 120_000);
    expect(plan.remove).toEqual([]);
    expect(plan.adopt.map((session) => session.expiresAt)).toEqual([minutes(25)]);
  });
});
