import { onlineActivationResponseSchema } from '@slm/activation-client';
import { mintProductKey, openHostCertificate, verifyStoredGrant } from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, newMachine, onlineRequest, read } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function activate(key: string, activationId = h.sku.desktop, machine = newMachine()) {
  const res = await h.activate(onlineRequest(key, activationId, machine));
  expect(res.status).toBe(200);
  return onlineActivationResponseSchema.parse(await res.json());
}

async function reasonFor(key: string, activationId = h.sku.desktop) {
  const answer = await activate(key, activationId);
  return answer.activated ? 'activated' : answer.reason;
}

describe('online activation', () => {
  it('when a retail key activates then the grant is vendor-signed and bound to the machine', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const machine = newMachine();
    const answer = await activate(key!, h.sku.desktop, machine);

    expect(answer.activated).toBe(true);
    if (!answer.activated) return;
    expect(answer.activation).toMatchObject({ channel: 'retail', reused: false });
    expect(answer.activation.partialKey).toBe(key!.slice(-5));
    const context = {
      vendorKey: h.deps.secrets.publicKey,
      activationId: h.sku.desktop,
      key: { channel: 'retail' as const, skuCode: 101, serial: 1 },
      clientMachineId: machine.clientMachineId,
      components: machine.components,
    };
    const stored = {
      kind: 'online' as const,
      document: answer.grant,
      components: machine.components,
    };
    expect(verifyStoredGrant(stored, context)).toMatchObject({ ok: true });
    const other = newMachine();
    const elsewhere = { ...stored, components: other.components };
    expect(
      verifyStoredGrant(elsewhere, { ...context, components: other.components }),
    ).toMatchObject({
      ok: false,
      error: { code: 'grant.wrong_machine' },
    });
  });

  it('when the same machine activates a MAK again then it gets the same grant and uses nothing', async () => {
    const { keys } = await h.mint('mak', 1, 2);
    const machine = newMachine();
    const first = await activate(keys[0]!, h.sku.desktop, machine);
    const again = await activate(keys[0]!, h.sku.desktop, machine);

    expect(first.activated && again.activated).toBe(true);
    if (!first.activated || !again.activated) return;
    expect(again.grant).toBe(first.grant);
    expect(again.activation.reused).toBe(true);
    const listed = await read(await h.admin(`/v1/admin/keys?partial=${keys[0]!.slice(-5)}`));
    expect(listed.keys[0]).toMatchObject({ activationsUsed: 1, activationLimit: 2 });
  });

  it('when 200 machines activate one MAK at once then exactly its limit succeed', async () => {
    const { keys } = await h.mint('mak', 1, 7);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => activate(keys[0]!, h.sku.desktop, newMachine())),
    );

    const granted = answers.filter((a) => a.activated).length;
    const refused = answers.filter((a) => !a.activated && a.reason === 'key.limit_reached').length;
    expect({ granted, refused }).toEqual({ granted: 7, refused: 193 });
  });

  it('when a key was not minted by this vendor then the reason is key.forged', async () => {
    const foreign = mintProductKey(new Uint8Array(32).fill(7), {
      channel: 'retail',
      skuCode: 101,
      serial: 1,
    });
    expect(await reasonFor(foreign)).toBe('key.forged');
  });

  it('when a key is mistyped then the reason is its format error', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const swapped = `${key!.slice(0, 3)}${key![4]}${key![3]}${key!.slice(5)}`;
    expect(await reasonFor(swapped)).toBe('key.checksum');
    expect(await reasonFor('BCDFGHJKMP')).toBe('key.length');
    expect(await reasonFor('BCDFG-HJKMP-QRTVW-XY234-6789A')).toBe('key.symbol');
  });

  it('when a key is blocked then the reason is key.blocked, and unblocking lets it in', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const listed = await read(await h.admin(`/v1/admin/keys?partial=${key!.slice(-5)}`));
    const id = listed.keys[0].id;
    const body = JSON.stringify({ reason: 'charge-back' });
    expect((await h.admin(`/v1/admin/keys/${id}/block`, { method: 'PUT', body })).status).toBe(200);

    expect(await reasonFor(key!)).toBe('key.blocked');
    await h.admin(`/v1/admin/keys/${id}/block`, { method: 'DELETE' });
    expect(await reasonFor(key!)).toBe('activated');
  });

  it('when a key is for another SKU then the reason is key.wrong_product', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    expect(await reasonFor(key!, h.sku.server)).toBe('key.wrong_product');
  });

  it('when the activation ID is unknown then the reason is product.not_found', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    expect(await reasonFor(key!, '00000000-0000-4000-8000-000000000000')).toBe('product.not_found');
  });

  it('when a volume client key asks the vendor then the reason is key.wrong_channel', async () => {
    const [key] = (await h.mint('volume_client', 1)).keys;
    expect(await reasonFor(key!)).toBe('key.wrong_channel');
  });

  it('when a MAK is over its limit then the reason is key.limit_reached', async () => {
    const [key] = (await h.mint('mak', 1, 1)).keys;
    expect(await reasonFor(key!)).toBe('activated');
    expect(await reasonFor(key!)).toBe('key.limit_reached');
  });

  it('when a volume host activates then it gets a vendor-signed certificate and counts', async () => {
    const [key] = (await h.mint('volume_host', 1, 1)).keys;
    const hostPublicKey = h.deps.secrets.publicKey; // any Ed25519 public key will do
    const asHost = async () => {
      const request = onlineRequest(key!, h.sku.desktop, newMachine());
      const installation = { ...request.installation, hostPublicKey };
      const res = await h.activate({ ...request, installation });
      return onlineActivationResponseSchema.parse(await res.json());
    };
    const answer = await asHost();

    expect(answer.activated).toBe(true);
    if (!answer.activated) return;
    const certificate = openHostCertificate(answer.hostCertificate ?? '', h.deps.secrets.publicKey);
    expect(certificate).toMatchObject({
      ok: true,
      value: {
        hostPublicKey,
        hostKeyPartial: key!.slice(-5),
        activationIds: [h.sku.desktop, h.sku.server],
      },
    });
    expect(await asHost()).toMatchObject({ activated: false, reason: 'key.limit_reached' });
  });

  it('when a host key comes without the host key then the reason is key.wrong_channel', async () => {
    const [key] = (await h.mint('volume_host', 1)).keys;
    expect(await reasonFor(key!)).toBe('key.wrong_channel');
  });

  it('when the request is malformed then the answer is a 400 problem naming every bad field', async () => {
    const res = await h.activate({ key: 'x' } as never);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { detail: string };
    expect(body).toMatchObject({ code: 'http.bad_request', status: 400 });
    expect(body.detail).toMatch(/activationId: .*; fingerprint: .*; installation: /);
  });

  it('when the body is not sent as JSON then the 415 problem says what to send', async () => {
    const res = await h.app.request('/v1/activations/online', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      code: 'http.unsupported_media_type',
      title: 'The body must be JSON',
      detail: 'send the body as JSON, with the header Content-Type: application/json',
    });
  });

  it('when a route is asked with another method then the answer is a 405 naming the allowed ones', async () => {
    const res = await h.app.request('/v1/activations/online', { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({
      code: 'http.method_not_allowed',
      detail: 'GET is not one of POST',
    });
    const revoke = await h.admin(
      '/v1/admin/activations/0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa/revoke',
    );
    expect(revoke.status).toBe(405);
    const nowhere = await h.app.request('/v1/nowhere', { method: 'POST' });
    expect(nowhere.status).toBe(404);
  });

  it.each([
    ['announced by Content-Length', { 'content-length': String(17 * 1024) }],
    ['streamed without a length', {}],
  ])('when a body over 16 KiB is %s then the answer is a 413 problem', async (_, headers) => {
    const res = await h.app.request('/v1/activations/online', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ key: 'x'.repeat(17 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'http.payload_too_large' });
  });
});
