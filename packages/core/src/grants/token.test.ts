import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePki } from '../../test/certificates.js';
import {
  contextFor,
  DAY,
  freshMachine,
  IDS,
  MACHINE,
  makeVendor,
  T0,
} from '../../test/fixtures.js';
import { toBase64Url } from '../crypto.js';
import { addGrant } from '../licence/add-grant.js';
import { evaluate } from '../licence/evaluate.js';
import { installKey } from '../licence/operations.js';
import { machineFingerprint } from '../machine/identity.js';
import { unwrap } from '../result.js';
import {
  certificateThumbprint,
  checkTokenEligibility,
  type StoredTokenGrant,
  tokenChallenge,
  verifyTokenGrant,
} from './token.js';
import { issueIssuanceLicence, openIssuanceLicence } from './token-schema.js';

const vendor = makeVendor();
const pki = makePki();
const foreign = makePki();
const binding = machineFingerprint(MACHINE, IDS.product);
const ILID = 'cccccccc-0000-4000-8000-000000000001';

function licence(extra: Record<string, unknown> = {}): string {
  const base = {
    v: 1 as const,
    ilid: ILID,
    ilvid: 2,
    info: 'Lab tokens',
    validTo: null,
    activationIds: [IDS.retail],
    issuers: [pki.caPem],
  };
  return issueIssuanceLicence({ ...base, ...extra }, vendor.keys.privateKeyPem);
}

function tokenGrant(
  il: string,
  keyPem = pki.leafKeyPem,
  certificate = pki.leafPem,
): StoredTokenGrant {
  const challenge = tokenChallenge({
    ilid: ILID,
    ilvid: 2,
    activationId: IDS.retail,
    fingerprint: binding.fingerprint,
    grantNumber: 1,
    activatedAt: T0,
  });
  const proof = toBase64Url(sign(null, challenge, keyPem));
  return {
    kind: 'token',
    issuanceLicence: il,
    certificate,
    grantNumber: 1,
    activatedAt: T0,
    proof,
    components: [...binding.components],
  };
}

const ctx = {
  vendorKey: vendor.keys.publicKey,
  activationId: IDS.retail,
  components: binding.components,
};

describe('issuance licences and token activation', () => {
  it('when the certificate, licence and proof match then the grant verifies and licenses', () => {
    const il = licence();
    expect(unwrap(openIssuanceLicence(il, vendor.keys.publicKey))).toMatchObject({
      ilid: ILID,
      ilvid: 2,
    });
    expect(unwrap(verifyTokenGrant(tokenGrant(il), ctx))).toMatchObject({
      kind: 'token',
      grantId: `${ILID}:2:1`,
    });
    const installed = unwrap(
      installKey(freshMachine(), [vendor.catalog], vendor.mint('retail', 10), T0),
    ).state;
    const activated = unwrap(
      addGrant(installed, tokenGrant(il), contextFor(vendor, IDS.retail, T0)),
    ).state;
    expect(evaluate(activated, contextFor(vendor, IDS.retail, T0 + DAY)).state).toBe('licensed');
  });

  it('when the licence runs out then the token activation ends in Notification', () => {
    const il = licence({ validTo: T0 + 10 * DAY });
    const installed = unwrap(
      installKey(freshMachine(), [vendor.catalog], vendor.mint('retail', 10), T0),
    ).state;
    const activated = unwrap(
      addGrant(installed, tokenGrant(il), contextFor(vendor, IDS.retail, T0)),
    ).state;
    const status = evaluate(activated, contextFor(vendor, IDS.retail, T0 + 11 * DAY));
    expect([status.state, status.reason]).toEqual(['notification', 'licence_expired']);
  });

  it('when the proof is made with another key then possession is not proven', () => {
    const result = verifyTokenGrant(tokenGrant(licence(), foreign.leafKeyPem), ctx);
    expect(result.ok ? null : result.error.code).toBe('grant.signature');
  });

  it('when the certificate comes from another CA then it is untrusted', () => {
    const result = verifyTokenGrant(
      tokenGrant(licence(), foreign.leafKeyPem, foreign.leafPem),
      ctx,
    );
    expect(result.ok ? null : result.error.code).toBe('grant.untrusted');
  });

  it('when the licence covers another product or comes from another vendor then it is refused', () => {
    const other = verifyTokenGrant(tokenGrant(licence({ activationIds: [IDS.volume] })), ctx);
    expect(other.ok ? null : other.error.code).toBe('grant.wrong_product');
    const rogue = issueIssuanceLicence(
      {
        v: 1,
        ilid: ILID,
        ilvid: 2,
        info: '',
        validTo: null,
        activationIds: [IDS.retail],
        issuers: [pki.caPem],
      },
      makeVendor().keys.privateKeyPem,
    );
    const refused = verifyTokenGrant(tokenGrant(rogue), ctx);
    expect(refused.ok ? null : refused.error.code).toBe('grant.signature');
  });

  it.each([
    ['a hardware key is required', { requireHardwareKey: true }, 'software', /hardware-protected/],
    [
      'the subject does not match',
      { subjectContains: 'Finance' },
      'software',
      /subject does not contain "Finance"/,
    ],
    ['the licence has expired', { validTo: T0 }, 'hardware', /expired/],
  ] as const)(
    'when %s then eligibility names that condition',
    (_what, extra, protection, message) => {
      const il = unwrap(openIssuanceLicence(licence(extra), vendor.keys.publicKey));
      const result = checkTokenEligibility(il, pki.leafPem, protection, Date.now());
      expect(result.ok ? '' : result.error.message).toMatch(message);
    },
  );

  it('when every condition holds then the certificate is eligible and its thumbprint is hex SHA-1', () => {
    const il = unwrap(
      openIssuanceLicence(licence({ subjectContains: 'Lab' }), vendor.keys.publicKey),
    );
    expect(checkTokenEligibility(il, pki.leafPem, 'software', Date.now()).ok).toBe(true);
    expect(checkTokenEligibility(il, 'not a cert', 'software', Date.now()).ok).toBe(false);
    expect(certificateThumbprint(pki.leafPem)).toMatch(/^[0-9a-f]{40}$/);
  });
});
