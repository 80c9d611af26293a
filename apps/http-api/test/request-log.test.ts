import { installationId, parseProductKey, unwrap } from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, newMachine, onlineRequest, read } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('request log', () => {
  it('writes one JSON line per request with method, route, status, duration and request id', async () => {
    h.logs.length = 0;
    const res = await h.app.request('/v1/catalog');
    const [line] = h.logs;

    expect(h.logs).toHaveLength(1);
    expect(JSON.parse(line!)).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/v1/catalog',
      status: 200,
      requestId: res.headers.get('x-request-id'),
      durationMs: expect.any(Number),
    });
  });

  it('never holds a full key, a token, a grant or a Confirmation ID', async () => {
    const { keys } = await h.mint('mak', 2, 1);
    const secrets: string[] = [h.token, ...keys];
    for (const key of keys) {
      const answer = await read(await h.activate(onlineRequest(key, h.sku.desktop, newMachine())));
      secrets.push(answer.grant, answer.grant.split('.').at(-1));
      await h.activate(onlineRequest(key, h.sku.desktop, newMachine()));
      const iid = installationId(unwrap(parseProductKey(key)), newMachine().fingerprint).digits;
      await h.app.request('/v1/activations/phone', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ installationId: iid }),
      });
    }
    await h.admin(`/v1/admin/keys?partial=${keys[0]!.slice(-5)}`);
    await h.app.request('/v1/admin/keys', { headers: { authorization: `Bearer ${h.token}x` } });

    const log = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(log).not.toContain(secret);
    for (const key of keys) expect(log).not.toContain(key.replaceAll('-', ''));
  });
});
