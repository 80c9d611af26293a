import { phoneActivationResponseSchema } from '@slm/activation-client';
import {
  formatInstallationId,
  installationId,
  parseConfirmationId,
  parseInstallationId,
  parseProductKey,
  unwrap,
  verifyConfirmationId,
} from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, newMachine, read } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

function iidOf(key: string, machine = newMachine()) {
  return installationId(unwrap(parseProductKey(key)), machine.fingerprint);
}

async function phone(installationIdText: string) {
  const res = await h.app.request('/v1/activations/phone', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ installationId: installationIdText }),
  });
  expect(res.status).toBe(200);
  return phoneActivationResponseSchema.parse(await res.json());
}

/** Changes one digit of a group (1-based), keeping the dashes. */
function mistype(digits: string, group: number): string {
  const groups = digits.split('-');
  const target = groups[group - 1]!;
  const changed = ((Number(target[0]) + 1) % 10).toString() + target.slice(1);
  groups[group - 1] = changed;
  return groups.join('-');
}

describe('phone activation', () => {
  it('when an IID is sent then the CID verifies offline for that installation', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const iid = iidOf(key!);
    const answer = await phone(iid.digits.replaceAll('-', ' '));

    expect(answer.activated).toBe(true);
    if (!answer.activated) return;
    for (const form of [answer.confirmationId, answer.compact]) {
      const signature = unwrap(parseConfirmationId(form));
      expect(verifyConfirmationId(iid.content, signature, h.deps.secrets.publicKey)).toEqual({
        ok: true,
        value: true,
      });
    }
  });

  it('when the CID is checked on another machine then it does not match', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const answer = await phone(iidOf(key!).digits);
    if (!answer.activated) throw new Error(answer.message);

    const elsewhere = iidOf(key!, newMachine()).content;
    const signature = unwrap(parseConfirmationId(answer.confirmationId));
    expect(verifyConfirmationId(elsewhere, signature, h.deps.secrets.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'cid.mismatch' },
    });
  });

  it('when the IID has a typo then the refusal names the group', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const typo = mistype(iidOf(key!).digits, 4);
    expect(parseInstallationId(typo).ok).toBe(false);

    const answer = await phone(typo);
    expect(answer).toMatchObject({ activated: false, reason: 'iid.check_digit' });
    if (answer.activated) return;
    expect(answer.message).toContain('4');
    expect(answer.context).toMatchObject({ group: 4 });
  });

  it.each([
    ['empty', ''],
    ['blank', ' \t '],
  ])(
    'when the Installation ID is %s then the refusal is iid.length, not a 400',
    async (_, text) => {
      expect(await phone(text)).toMatchObject({
        activated: false,
        reason: 'iid.length',
        context: { digits: 0, expected: 54 },
      });
    },
  );

  it('when two groups of the IID are swapped then iid.version says it is mistyped', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const [first, second, ...rest] = iidOf(key!).digits.split('-');
    const answer = await phone([second, first, ...rest].join('-'));

    expect(answer).toMatchObject({ activated: false, reason: 'iid.version' });
    if (answer.activated) return;
    expect(answer.message).toContain('mistyped');
    expect(answer.message).not.toContain('newer scheme');
  });

  it('when phone and online count one MAK then its limit holds across both', async () => {
    const [key] = (await h.mint('mak', 1, 1)).keys;
    const machine = newMachine();
    const first = await phone(iidOf(key!, machine).digits);
    const again = await phone(iidOf(key!, machine).digits);
    const other = await phone(iidOf(key!).digits);

    expect(first.activated && again.activated).toBe(true);
    if (first.activated && again.activated) expect(again.compact).toBe(first.compact);
    expect(other).toMatchObject({ activated: false, reason: 'key.limit_reached' });
  });

  it('when the key behind an IID is blocked then the reason is key.blocked', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const listed = await read(await h.admin(`/v1/admin/keys?partial=${key!.slice(-5)}`));
    const body = JSON.stringify({ reason: 'leaked' });
    await h.admin(`/v1/admin/keys/${listed.keys[0].id}/block`, { method: 'PUT', body });
    expect(await phone(iidOf(key!).digits)).toMatchObject({ reason: 'key.blocked' });
  });

  it('when an IID names a key that was never minted then the reason is key.forged', async () => {
    const { keys } = await h.mint('retail', 1);
    const content = iidOf(keys[0]!).content;
    const unknown = formatInstallationId({ ...content, serial: content.serial + 10_000 });
    const wrongProof = formatInstallationId({
      ...content,
      keyProof: (content.keyProof + 1) % 2 ** 24,
    });
    expect(await phone(unknown)).toMatchObject({ reason: 'key.forged' });
    expect(await phone(wrongProof)).toMatchObject({ reason: 'key.forged' });
  });
});
