import { describe, expect, it } from 'vitest';
import {
  freshMachine,
  IDS,
  MACHINE,
  makeVendor,
  onlineGrant,
  T0,
  volumeGrant,
} from '../../test/fixtures.js';
import { generateSigningKey } from '../crypto.js';
import { signDocument } from '../documents/document.js';
import { machineFingerprint } from '../machine/identity.js';
import { installationId, issueConfirmationId } from '../phone/index.js';
import type { StoredGrant } from './schema.js';
import { openHostCertificate, openVolumeGrant } from './validate.js';
import { type GrantContext, verifyStoredGrant } from './verify.js';

const vendor = makeVendor();
const machine = machineFingerprint(MACHINE, IDS.product);
const state = freshMachine();
const key = vendor.mint('retail', 10);

const ctx: GrantContext = {
  vendorKey: vendor.keys.publicKey,
  activationId: IDS.retail,
  key,
  clientMachineId: state.clientMachineId,
  components: machine.components,
};

function codeOf(grant: StoredGrant, context: GrantContext = ctx): string | null {
  const result = verifyStoredGrant(grant, context);
  return result.ok ? null : result.error.code;
}

function phoneGrant(options: { signer?: string; fingerprint?: string } = {}): StoredGrant {
  const iid = installationId(key, options.fingerprint ?? machine.fingerprint);
  const cid = issueConfirmationId(iid.content, options.signer ?? vendor.keys.privateKeyPem);
  return {
    kind: 'phone',
    installationId: iid.digits,
    confirmationId: cid.digits,
    components: [...machine.components],
    activatedAt: T0,
  };
}

describe('online grants', () => {
  it('when the grant matches this machine, product and key then it verifies with no drift', () => {
    const result = verifyStoredGrant(onlineGrant(vendor, key, IDS.retail, T0), ctx);
    expect(result.ok && result.value).toMatchObject({
      kind: 'online',
      drift: 0,
      expiresAt: null,
      signedTime: T0,
    });
  });

  it('when the grant names another product, key or type then the reason says which', () => {
    expect(codeOf(onlineGrant(vendor, key, IDS.volume, T0))).toBe('grant.wrong_product');
    expect(codeOf(onlineGrant(vendor, vendor.mint('retail', 10), IDS.retail, T0))).toBe(
      'grant.wrong_key',
    );
    const grant = onlineGrant(vendor, key, IDS.retail, T0);
    if (grant.kind !== 'online') throw new Error('expected an online grant');
    expect(codeOf({ ...grant, kind: 'extension' })).toBe('grant.malformed');
  });

  it('when the stored components were edited to match another machine then it is bound elsewhere', () => {
    const grant = onlineGrant(vendor, key, IDS.retail, T0);
    if (grant.kind !== 'online') throw new Error('expected an online grant');
    const other = machineFingerprint({ ...MACHINE, 'machine-id': 'x' }, IDS.product).components;
    expect(codeOf({ ...grant, components: [...other] })).toBe('grant.wrong_machine');
  });

  it('when the payload does not match the grant schema then it is malformed', () => {
    const document = signDocument('grant', { v: 1, type: 'online' }, vendor.keys.privateKeyPem);
    expect(codeOf({ kind: 'online', document, components: [] })).toBe('grant.malformed');
  });
});

describe('phone grants', () => {
  it('when the Confirmation ID was issued for this Installation ID then it verifies', () => {
    const result = verifyStoredGrant(phoneGrant(), ctx);
    expect(result.ok && result.value).toMatchObject({
      kind: 'phone',
      expiresAt: null,
      signedTime: null,
    });
  });

  it('when the Confirmation ID comes from another vendor key then its signature fails', () => {
    expect(codeOf(phoneGrant({ signer: generateSigningKey().privateKeyPem }))).toBe(
      'grant.signature',
    );
  });

  it('when the Installation ID was made on another machine then it is bound elsewhere', () => {
    const elsewhere = machineFingerprint({ ...MACHINE, cpu: 'other' }, IDS.product).fingerprint;
    expect(codeOf(phoneGrant({ fingerprint: elsewhere }))).toBe('grant.wrong_machine');
  });

  it('when the stored digits are damaged then the grant is malformed', () => {
    const grant = phoneGrant();
    if (grant.kind !== 'phone') throw new Error('expected a phone grant');
    expect(codeOf({ ...grant, installationId: '12' })).toBe('grant.malformed');
    expect(codeOf({ ...grant, confirmationId: '12' })).toBe('grant.malformed');
  });
});

describe('volume grants', () => {
  const volumeCtx = { ...ctx, activationId: IDS.volume };

  it('when a certified host signed it for this client machine ID then it verifies', () => {
    const result = verifyStoredGrant(volumeGrant(vendor, state, IDS.volume, T0), volumeCtx);
    expect(result.ok && result.value.volume?.renewalIntervalMinutes).toBe(10_080);
  });

  it('when the host is not certified for the product then it is untrusted', () => {
    const grant = volumeGrant(vendor, state, IDS.volume, T0, { certifiedFor: [IDS.server] });
    expect(codeOf(grant, volumeCtx)).toBe('grant.untrusted');
  });

  it('when the host certificate is not from the vendor then it is untrusted', () => {
    const rogue = makeVendor();
    expect(codeOf(volumeGrant(rogue, state, IDS.volume, T0), volumeCtx)).toBe('grant.untrusted');
  });

  it('when the grant is for another product or client machine ID then the reason says which', () => {
    const grant = volumeGrant(vendor, state, IDS.volume, T0, {
      certifiedFor: [IDS.volume, IDS.server],
    });
    expect(codeOf(grant, { ...volumeCtx, activationId: IDS.server })).toBe('grant.wrong_product');
    expect(codeOf(grant, { ...volumeCtx, clientMachineId: 'another' })).toBe('grant.wrong_machine');
  });

  it('when the certificate and grant name different hosts then the pair is refused', () => {
    const grant = volumeGrant(vendor, state, IDS.volume, T0);
    if (grant.kind !== 'volume') throw new Error('expected a volume grant');
    const cert = openHostCertificate(grant.hostCertificate, vendor.keys.publicKey);
    expect(cert.ok).toBe(true);
    const otherHost = volumeGrant(vendor, state, IDS.volume, T0);
    if (otherHost.kind !== 'volume') throw new Error('expected a volume grant');
    const mixed = openVolumeGrant(grant.document, otherHost.hostCertificate, vendor.keys.publicKey);
    expect(mixed.ok ? null : mixed.error.code).toBe('grant.signature');
  });
});
