/**
 * The per-key bucket of a product key, named by what the key and its Installation IDs both
 * carry (SKU code, channel, serial): online and phone attempts on one key share it, and the
 * limiter never holds a key.
 */
export function keyBucket(key: { skuCode: number; channel: string; serial: number }): string {
  return `key:${key.skuCode}:${key.channel}:${key.serial}`;
}

/** A token bucket per name: `burst` at once, refilled at `perMinute`. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #burst: number;
  readonly #perMs: number;
  readonly #maxNames: number;

  constructor(options: { burst: number; perMinute: number; maxNames?: number }) {
    this.#burst = options.burst;
    this.#perMs = options.perMinute / 60_000;
    this.#maxNames = options.maxNames ?? 100_000;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is free. */
  take(name: string, now: number): number {
    const bucket = this.#refilled(name, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  #refilled(name: string, now: number) {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxNames) this.#prune(now);
      const fresh = { tokens: this.#burst, at: now };
      this.#buckets.set(name, fresh);
      return fresh;
    }
    // A clock stepped back refills nothing, rather than draining every bucket.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsed * this.#perMs);
    bucket.at = Math.max(now, bucket.at);
    return bucket;
  }

  // Full buckets carry no information; dropping them bounds memory under many addresses.
  #prune(now: number): void {
    for (const [name, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.#burst)
        this.#buckets.delete(name);
    }
    if (this.#buckets.size >= this.#maxNames) this.#buckets.clear();
  }
}
