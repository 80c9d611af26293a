import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { guidSchema } from '../catalog/schema.js';
import { fromBase64Url } from '../crypto.js';
import { openDocument, signDocument } from '../documents/document.js';
import { bindingDrift, fingerprintOfComponents } from '../machine/identity.js';
import { fail, ok, type Result } from '../result.js';
import type { VerifiedGrant } from './schema.js';

const instant = z.number().int().nonnegative();

/**
 * An issuance licence: a vendor-signed statement that certificates issued by the named CAs (and
 * meeting the stated conditions) may activate the listed products, until `validTo`.
 */
export const issuanceLicenceSchema = z.object({
  v: z.literal(1),
  ilid: guidSchema,
  ilvid: z.number().int().min(0).max(0x7fff_ffff),
  info: z.string().max(200),
  validTo: instant.nullable(),
  activationIds: z.array(guidSchema).min(1),
  /** Trusted issuing CAs, as PEM certificates. */
  issuers: z.array(z.string().min(1)).min(1),
  /** Refuse keys that are plain software keys (exportable). */
  requireHardwareKey: z.boolean().default(false),
  /** The certificate subject must contain this text, when set. */
  subjectContains: z.string().max(200).nullable().default(null),
});

/** A verified issuance licence. */
export type IssuanceLicence = z.output<typeof issuanceLicenceSchema>;

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

/** Signs an issuance licence with the vendor key. */
export function issueIssuanceLicence(
  licence: z.input<typeof issuanceLicenceSchema>,
  vendorPrivateKeyPem: string,
): string {
  return signDocument(
    'issuance-licence',
    issuanceLicenceSchema.parse(licence),
    vendorPrivateKeyPem,
  );
}

/** Opens an issuance licence signed by the vendor key. */
export function openIssuanceLicence(text: string, vendorKey: string): Result<IssuanceLicence> {
  const opened = openDocument(text, 'issuance-licence', vendorKey);
  if (!opened.ok) return opened;
  const parsed = issuanceLicenceSchema.safeParse(opened.value);
  return parsed.success
    ? ok(parsed.data)
    : fail('grant.malformed', 'the issuance licence is malformed');
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
  const licence = openIssuanceLicence(grant.issuanceLicence, ctx.vendorKey);
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
