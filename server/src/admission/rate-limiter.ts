import type { Clock } from '../clock';

/** The answer of a rate limiter: allowed, or refused with the time until the next try may pass. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets kept at most; full (idle) ones are forgotten first, so memory stays bounded under a flood. */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key (a client address): `perMinute` requests a minute on average, bursts up to
 * `perMinute` at once. Pure apart from the injected clock.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(key: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true }; // 0 turns the limit off
    const now = this.clock.now().getTime();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFullBuckets(now);
      bucket = { tokens: this.perMinute, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    return bucket;
  }

  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs;
      if (tokens >= this.perMinute) this.buckets.delete(key);
    }
    // Still full of active clients: drop the oldest half rather than grow without bound.
    if (this.buckets.size >= MAX_BUCKETS) {
      const oldest = [...this.buckets.keys()].slice(0, MAX_BUCKETS / 2);
      for (const key of oldest) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
