import type { ManagedResource } from '../sandbox/driver';

// Pure decisions about what to keep, adopt or remove. The loop in reaper.ts only schedules them.

export function isExpired(now: Date, expiresAt: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}

export interface AdoptableSession {
  key: string;
  createdAt: Date;
  expiresAt: Date;
  instances: Array<{ name: string; containerId: string; ip: string }>;
}

export interface SweepPlan {
  /** Sessions whose resources are to be removed. */
  remove: string[];
  /** Sessions still valid on the engine, to take over (start-up only). */
  adopt: AdoptableSession[];
}

/** Resources grouped by session key; resources without one are not the reaper's to judge. */
function groupBySession(resources: ManagedResource[]): Map<string, ManagedResource[]> {
  const groups = new Map<string, ManagedResource[]>();
  for (const resource of resources) {
    if (!resource.sessionKey) continue;
    const group = groups.get(resource.sessionKey) ?? [];
    group.push(resource);
    groups.set(resource.sessionKey, group);
  }
  return groups;
}

/** The earliest expiry any resource of the group claims; undefined if none carries a valid one. */
function groupExpiry(group: ManagedResource[]): Date | undefined {
  const times = group.flatMap((r) => (r.expiresAt ? [r.expiresAt.getTime()] : []));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

function groupCreatedAt(group: ManagedResource[]): Date | undefined {
  const times = group.flatMap((r) => (r.createdAt ? [r.createdAt.getTime()] : []));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/**
 * At start-up: remove the leftovers of sessions that have expired, carry no valid expiry, have no
 * running sandbox (a crash mid-create, a stopped host), or whose id the last server never handed out
 * (`unanswered`: killed between making it and answering); adopt the rest. A group younger than
 * `creatingGraceMs` without a sandbox may be another server's create in progress, so it is left alone.
 */
export function planStartupSweep(
  now: Date,
  resources: ManagedResource[],
  creatingGraceMs: number,
  unanswered: (key: string) => boolean = () => false,
): SweepPlan {
  const plan: SweepPlan = { remove: [], adopt: [] };
  for (const [key, group] of groupBySession(resources)) {
    const expiresAt = groupExpiry(group);
    const createdAt = groupCreatedAt(group);
    if (!expiresAt || isExpired(now, expiresAt) || unanswered(key)) {
      plan.remove.push(key);
      continue;
    }
    const sandboxes = group.filter((r) => r.kind === 'container' && r.role === 'sandbox');
    const running = sandboxes.filter((r) => r.running && r.instance);
    const pooled = sandboxes.some((r) => r.pooled);
    if (running.length === 0 || pooled) {
      // Half-made, stopped, or a warm-pool sandbox nobody claimed: nobody knows its id, so it is
      // never adopted. Young ones may be another server's work in progress.
      const young = createdAt !== undefined && now.getTime() - createdAt.getTime() < creatingGraceMs;
      if (!young) plan.remove.push(key);
      continue;
    }
    plan.adopt.push({
      key,
      createdAt: createdAt ?? now,
      expiresAt,
      instances: running.map((r) => ({ name: r.instance!, containerId: r.id, ip: r.ip })),
    });
  }
  return plan;
}

/**
 * While running: of the groups no live session or pool slot owns, remove those expired by their
 * labels, those that carry no valid expiry, and warm-pool sandboxes older than any pool keeps one
 * (`pooledMaxAgeMs`). Callers pass their own resources only (ownResources).
 */
export function planPeriodicSweep(
  now: Date,
  resources: ManagedResource[],
  liveKeys: Set<string>,
  pooledMaxAgeMs: number,
): string[] {
  const remove: string[] = [];
  for (const [key, group] of groupBySession(resources)) {
    // A live session ends by its own expiry (which an extension may have moved past its labels'),
    // a live pool slot by its pool: neither is the sweep's to judge.
    if (liveKeys.has(key)) continue;
    const expiresAt = groupExpiry(group);
    const createdAt = groupCreatedAt(group);
    const stalePool =
      group.some((r) => r.pooled) &&
      (!createdAt || now.getTime() - createdAt.getTime() > pooledMaxAgeMs);
    if (!expiresAt || isExpired(now, expiresAt) || stalePool) remove.push(key);
  }
  return remove;
}

/**
 * Another playground's sessions on a shared engine (PLAYGROUND_NAME) are its own to adopt and
 * sweep. Only when one has been expired for longer than `graceMs` (its server is gone, or would
 * have removed it) are its leftovers removed by whoever sees them, so a neighbour that never comes
 * back leaves nothing behind for good.
 */
export function planForeignSweep(now: Date, resources: ManagedResource[], owner: string, graceMs: number): string[] {
  const foreign = resources.filter((resource) => resource.owner !== owner);
  const remove: string[] = [];
  for (const [key, group] of groupBySession(foreign)) {
    const expiresAt = groupExpiry(group);
    if (expiresAt && now.getTime() - expiresAt.getTime() > graceMs) remove.push(key);
  }
  return remove;
}

/** The resources that are this playground's own to adopt, count and sweep. */
export function ownResources(resources: ManagedResource[], owner: string): ManagedResource[] {
  return resources.filter((resource) => resource.owner === owner);
}

/** The resources with each session's saved expiry (an extension, a warm-pool session) in place of its labels'. */
export function withSavedExpiries(resources: ManagedResource[], savedExpiry: (key: string) => Date | undefined): ManagedResource[] {
  return resources.map((resource) => {
    const saved = resource.sessionKey ? savedExpiry(resource.sessionKey) : undefined;
    return saved ? { ...resource, expiresAt: saved } : resource;
  });
}
