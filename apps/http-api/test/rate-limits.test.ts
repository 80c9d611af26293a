import { installationId, parseProductKey, unwrap } from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/http/middleware/rate-limit.js';
import { createHarness, type Harness, newMachine, onlineRequest } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    perAddress: new RateLimiter({ burst: 6, perMinute: 1 }),
    perKey: new RateLimiter({ burst: 2, perMinute: 1 }),
  });
});
afterAll(() => h.close());

describe('rate limits', () => {
  it('when one key is tried too often then it is limited, while other keys still pass', async () => {
    const [first, second] = (await h.mint('retail', 2)).keys;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await h.activate(onlineRequest(first!, h.sku.desktop, newMachine()), '10.0.0.1')).status,
      );
    }
    const res = await h.activate(onlineRequest(first!, h.sku.desktop, newMachine()), '10.0.0.1');
    const other = await h.activate(onlineRequest(second!, h.sku.desktop, newMachine()), '10.0.0.1');

    expect(statuses).toEqual([200, 200, 429]);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ code: 'http.rate_limited' });
    expect(other.status).toBe(200);
  });

  it('when a key is tried by phone until its limit then online tries of it are limited too', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const iid = installationId(unwrap(parseProductKey(key!)), newMachine().fingerprint).digits;
    const byPhone = [];
    for (let i = 0; i < 2; i++) {
      const res = await h.app.request('/v1/activations/phone', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ installationId: iid }),
      });
      byPhone.push(res.status);
    }
    const online = await h.activate(onlineRequest(key!, h.sku.desktop, newMachine()), '10.0.0.5');

    expect(byPhone).toEqual([200, 200]);
    expect(online.status).toBe(429);
    expect(await online.json()).toMatchObject({ code: 'http.rate_limited' });
  });

  it('when one address sends too many requests then it is limited, others are not', async () => {
    const { keys } = await h.mint('retail', 8);
    const statuses = [];
    for (const key of keys) {
      statuses.push(
        (await h.activate(onlineRequest(key, h.sku.desktop, newMachine()), '10.0.0.2')).status,
      );
    }
    const elsewhere = await h.activate(
      onlineRequest(keys[0]!, h.sku.desktop, newMachine()),
      '10.0.0.3',
    );

    expect(statuses.filter((s) => s === 429).length).toBe(2);
    expect(elsewhere.status).toBe(200);
  });
});

describe('the rate limiter', () => {
  it('when the clock steps back then requests are still let in', () => {
    const limiter = new RateLimiter({ burst: 2, perMinute: 60 });
    const day = 86_400_000;
    expect(limiter.take('a', 400 * day)).toBe(0);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBeGreaterThan(0);
    expect(limiter.take('a', 400 * day + 1000)).toBe(0);
  });
});
