import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, newMachine, onlineRequest, read } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const env = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('administration', () => {
  it('when no token is sent then the answer is 401 http.unauthorized', async () => {
    const res = await h.app.request('/v1/admin/keys');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'http.unauthorized' });
  });

  it('when a wrong token is sent then the answer is 401', async () => {
    const res = await h.app.request('/v1/admin/keys', {
      headers: { authorization: 'Bearer slm_at_not-a-real-token' },
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['two spaces', (token: string) => `Bearer  ${token}`],
    ['a tab', (token: string) => `Bearer\t${token}`],
    ['a lower-case scheme', (token: string) => `bearer ${token}`],
  ])(
    'when the Authorization header has %s after the scheme then the token is accepted',
    async (_, header) => {
      const res = await h.app.request('/v1/admin/keys', {
        headers: { authorization: header(h.token) },
      });
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['no token', 'Bearer'],
    ['only spaces after the scheme', 'Bearer    '],
    ['two words', 'Bearer abc def'],
    ['no space after the scheme', 'Bearerabc'],
    ['another scheme', 'Basic abc'],
  ])('when the Authorization header has %s then it is refused with 401', async (_, header) => {
    const res = await h.app.request('/v1/admin/keys', { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 'http.unauthorized',
      detail: 'send Authorization: Bearer',
    });
  });

  it('when a token comes over plain HTTP from another host then it is refused', async () => {
    const headers = { authorization: `Bearer ${h.token}` };
    const remote = await h.app.request('/v1/admin/keys', { headers }, env('192.0.2.10'));
    const local = await h.app.request('/v1/admin/keys', { headers }, env('::ffff:127.0.0.1'));

    expect(remote.status).toBe(403);
    expect(await remote.json()).toMatchObject({ code: 'http.insecure_transport' });
    expect(local.status).toBe(200);
  });

  it('when keys are minted then each is listed once by partial key, never in full', async () => {
    const { keys, activationLimit } = await h.mint('mak', 3);
    expect(activationLimit).toBe(5);
    expect(new Set(keys).size).toBe(3);

    const res = await h.admin(`/v1/admin/keys?partial=${keys[1]!.slice(-4).toLowerCase()}`);
    const text = await res.text();
    expect(JSON.parse(text).keys.map((k: { partialKey: string }) => k.partialKey)).toContain(
      keys[1]!.slice(-5),
    );
    for (const key of keys) expect(text).not.toContain(key);
  });

  it('when a whole key is given to search by then the answer says to give its last five symbols', async () => {
    const [key] = (await h.mint('mak', 1)).keys;
    const res = await h.admin(`/v1/admin/keys?partial=${key}`);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('give the last five symbols of the key');
    expect(text).not.toContain(key);
  });

  it.each(['retail', 'oem', 'volume_client'])(
    'when %s keys are ordered with an activation limit then the answer is a 400 naming it',
    async (channel) => {
      const body = JSON.stringify({ skuCode: 101, channel, count: 1, activationLimit: 3 });

      const res = await h.admin('/v1/admin/keys', { method: 'POST', body });

      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({
        code: 'http.bad_request',
        detail: `activationLimit: only MAK and volume host keys have an activation limit, not ${channel} keys`,
      });
    },
  );

  it.each(['limit=1&limit=2', 'limit=1&channel=mak&limit=1'])(
    'when the query %s repeats a parameter then the answer is a 400 naming it',
    async (query) => {
      const res = await h.admin(`/v1/admin/keys?${query}`);

      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'http.bad_request',
        detail: 'limit: give it once',
      });
    },
  );

  it('when a SKU does not exist then minting is a 404 problem', async () => {
    const body = JSON.stringify({ skuCode: 999, channel: 'retail', count: 1 });
    const res = await h.admin('/v1/admin/keys', { method: 'POST', body });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'product.not_found' });
  });

  it('when an activation is revoked then the key has a free activation again', async () => {
    const [key] = (await h.mint('mak', 1, 1)).keys;
    const machine = newMachine();
    const first = await read(await h.activate(onlineRequest(key!, h.sku.desktop, machine)));
    const listed = await read(await h.admin(`/v1/admin/keys?partial=${key!.slice(-5)}`));
    const keyId = listed.keys[0].id;

    const byKey = await read(await h.admin(`/v1/admin/keys/${keyId}/activations`));
    const byMachine = await read(
      await h.admin(`/v1/admin/machines/${machine.fingerprint}/activations`),
    );
    expect(byKey.activations).toHaveLength(1);
    expect(byMachine.activations[0].id).toBe(first.activation.id);

    const revoke = await h.admin(`/v1/admin/activations/${first.activation.id}/revoke`, {
      method: 'POST',
    });
    expect(revoke.status).toBe(200);
    const other = await read(await h.activate(onlineRequest(key!, h.sku.desktop, newMachine())));
    expect(other.activated).toBe(true);
  });

  it('when an activation already revoked is revoked again then the answer is 409 saying so', async () => {
    const [key] = (await h.mint('mak', 1)).keys;
    const { activation } = await read(
      await h.activate(onlineRequest(key!, h.sku.desktop, newMachine())),
    );
    const revoke = () =>
      h.admin(`/v1/admin/activations/${activation.id}/revoke`, { method: 'POST' });

    expect((await revoke()).status).toBe(200);
    const again = await revoke();

    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: 'http.conflict',
      detail: `activation ${activation.id} is already revoked`,
    });
  });

  it('when an unknown activation id is revoked then the answer is 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const res = await h.admin(`/v1/admin/activations/${id}/revoke`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      code: 'http.not_found',
      detail: `no activation ${id}`,
    });
  });

  it('when an unknown key id is blocked then the answer is 404', async () => {
    const body = JSON.stringify({ reason: 'x' });
    const res = await h.admin('/v1/admin/keys/999999/block', { method: 'PUT', body });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'http.not_found' });
  });

  it('when the catalog is invalid then publishing is refused with catalog.malformed', async () => {
    const body = JSON.stringify({ version: 1, vendor: { name: 'x' }, products: [] });
    const res = await h.admin('/v1/admin/catalog', { method: 'PUT', body });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'catalog.malformed' });
  });

  it('when the catalog names a serviceUrl that is not http or https then it is refused', async () => {
    const { issuedAt: _, ...catalog } = h.catalog;
    const body = JSON.stringify({ ...catalog, serviceUrl: 'ftp://x' });

    const res = await h.admin('/v1/admin/catalog', { method: 'PUT', body });

    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'catalog.malformed',
      detail: expect.stringContaining('serviceUrl: expected an http: or https: URL'),
    });
    expect(h.deps.catalogs.current?.catalog.serviceUrl).not.toBe('ftp://x');
  });

  it('when the catalog is fetched then it is the signed current version', async () => {
    const res = await h.app.request('/v1/catalog');
    const body = await read(res);
    expect(body.version).toBe(1);
    expect(body.signedCatalog).toMatch(/^slm1\.catalog\./);
  });
});

describe('the API description', () => {
  it('serves an OpenAPI document naming every route', async () => {
    const doc = await read(await h.app.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/activations/online',
        '/v1/activations/phone',
        '/v1/admin/keys',
        '/v1/admin/keys/{id}/block',
        '/v1/admin/activations/{id}/revoke',
      ]),
    );
  });

  it('describes the 404 and 409 answers of revoking an activation', async () => {
    const doc = await read(await h.app.request('/openapi.json'));
    const responses = doc.paths['/v1/admin/activations/{id}/revoke'].post.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(responses['409'].description).toContain('already revoked');
  });

  it('serves a readable reference page beside it', async () => {
    const res = await h.app.request('/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/v1/activations/phone');
    expect(html).toContain('Turn an Installation ID into a Confirmation ID');
  });

  it('answers unknown paths with a problem', async () => {
    const res = await h.app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
