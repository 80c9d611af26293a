import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { fromBase64Url } from '../crypto.js';
import { openDocument } from '../documents/document.js';
import { matchesShape } from '../documents/shape.js';
import { bindingDrift, fingerprintOfComponents } from '../machine/identity.js';
import { fail, ok, type Result } from '../result.js';
import type { VerifiedGrant } from './schema.js';
import { ISSUANCE_LICENCE_SHAPE } from './shapes.js';
import type { IssuanceLicence } from './token-schema.js';

/** A token activation as the machine stores it. */
export interface StoredTokenGrant {
  readonly kind: 'token';
  readonly issuanceLicence: string;
  readonly certificate: string;
  readonly grantNumber: number;
  readonly activatedAt: number;
  /** base64url signature of `tokenChallenge(…)` by the certificate's private key. */
  readonly proof: string;
  readonly components: string[];
}

/** The hex SHA-1 thumbprint of a PEM certificate, as token activation names certificates. */
export function certificateThumbprint(certificatePem: string): string {
  return new X509Certificate(certificatePem).fingerprint.replaceAll(':', '').toLowerCase();
}

/** The bytes the certificate's private key signs to prove possession. */
export function tokenChallenge(fields: {
  ilid: string;
  ilvid: number;
  activationId: string;
  fingerprint: string;
  grantNumber: number;
  activatedAt: number;
}): Uint8Array {
  const { ilid, ilvid, activationId, fingerprint, grantNumber, activatedAt } = fields;
  const text = ['slm-token/1', ilid, ilvid, activationId, fingerprint, grantNumber, activatedAt];
  return Buffer.from(text.join('\n'));
}

/** What a certificate must satisfy for a licence; names the condition that fails. */
export function checkTokenEligibility(
  licence: IssuanceLicence,
  certificatePem: string,
  keyProtection: 'software' | 'hardware',
  at: number,
): Result<true> {
  const certificate = parseCertificate(certificatePem);
  if (certificate === null)
    return fail('grant.malformed', 'the certificate is not a PEM X.509 certificate');
  if (licence.validTo !== null && at >= licence.validTo) {
    return fail('grant.expired', `issuance licence ${licence.ilid} expired`);
  }
  if (!issuedByTrustedCa(licence, certificate)) {
    return fail(
      'grant.untrusted',
      'the certificate is not issued by a CA the issuance licence trusts',
    );
  }
  if (at < Date.parse(certificate.validFrom) || at >= Date.parse(certificate.validTo)) {
    return fail('grant.expired', 'the certificate is outside its validity period');
  }
  if (licence.subjectContains !== null && !certificate.subject.includes(licence.subjectContains)) {
    return fail(
      'grant.untrusted',
      `the certificate subject does not contain "${licence.subjectContains}"`,
    );
  }
  if (licence.requireHardwareKey && keyProtection !== 'hardware') {
    return fail(
      'grant.untrusted',
      'the issuance licence requires a hardware-protected private key',
    );
  }
  return ok(true);
}

/** Verifies a stored token activation: licence from the vendor, CA chain and proof of possession. */
export function verifyTokenGrant(
  grant: StoredTokenGrant,
  ctx: { vendorKey: string; activationId: string; components: readonly string[] },
): Result<VerifiedGrant> {
  const licence = readIssuanceLicence(grant.issuanceLicence, ctx.vendorKey);
  if (!licence.ok) return licence;
  if (!licence.value.activationIds.includes(ctx.activationId)) {
    return fail('grant.wrong_product', 'the issuance licence does not cover this product');
  }
  const certificate = parseCertificate(grant.certificate);
  if (certificate === null || !issuedByTrustedCa(licence.value, certificate)) {
    return fail(
      'grant.untrusted',
      'the certificate is not issued by a CA the issuance licence trusts',
    );
  }
  const challenge = tokenChallenge({
    ...licence.value,
    activationId: ctx.activationId,
    fingerprint: fingerprintOfComponents(grant.components),
    grantNumber: grant.grantNumber,
    activatedAt: grant.activatedAt,
  });
  if (!provesPossession(certificate, challenge, grant.proof)) {
    return fail('grant.signature', 'the proof of possession does not verify with the certificate');
  }
  return ok({
    kind: 'token',
    grantId: `${licence.value.ilid}:${licence.value.ilvid}:${grant.grantNumber}`,
    signedTime: null,
    activatedAt: grant.activatedAt,
    expiresAt: licence.value.validTo,
    extendedProductId: `token:${certificateThumbprint(grant.certificate)}`,
    drift: bindingDrift(grant.components, ctx.components),
    volume: null,
  });
}

function parseCertificate(pem: string): X509Certificate | null {
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

function issuedByTrustedCa(licence: IssuanceLicence, certificate: X509Certificate): boolean {
  return licence.issuers.some((issuerPem) => {
    const issuer = parseCertificate(issuerPem);
    return (
      issuer !== null && certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey)
    );
  });
}

function provesPossession(
  certificate: X509Certificate,
  challenge: Uint8Array,
  proof: string,
): boolean {
  const signature = fromBase64Url(proof);
  if (signature === null) return false;
  const key = createPublicKey(certificate.publicKey.export({ format: 'pem', type: 'spki' }));
  const algorithm =
    key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
  try {
    return verify(algorithm, challenge, key, signature);
  } catch {
    return false;
  }
}

function readIssuanceLicence(text: string, vendorKey: string): Result<IssuanceLicence> {
  const opened = openDocument(text, 'issuance-licence', vendorKey);
  if (!opened.ok) return opened;
  if (!matchesShape(opened.value, ISSUANCE_LICENCE_SHAPE)) {
    return fail('grant.malformed', 'the issuance licence is malformed');
  }
  return ok(opened.value as IssuanceLicence);
}
