import type { z } from 'zod';
import { type DocumentKind, openDocument } from '../documents/document.js';
import type { ErrorCode } from '../errors.js';
import type { Channel } from '../keys/index.js';
import { bindingDrift, fingerprintOfComponents } from '../machine/identity.js';
import { parseConfirmationId, parseInstallationId, verifyConfirmationId } from '../phone/index.js';
import { fail, ok, type Result } from '../result.js';
import {
  type HostCertificate,
  hostCertificateSchema,
  machineGrantSchema,
  type StoredGrant,
  type VerifiedGrant,
  type VolumeGrant,
  volumeGrantSchema,
} from './schema.js';
import { verifyTokenGrant } from './token.js';

/** What a grant must match on this machine to count. */
export interface GrantContext {
  readonly vendorKey: string;
  readonly activationId: string;
  readonly key: { readonly channel: Channel; readonly skuCode: number; readonly serial: number };
  readonly clientMachineId: string;
  /** The machine's identity component hashes now. */
  readonly components: readonly string[];
}

/** Verifies a stored grant against the vendor key and this machine; names why it fails. */
export function verifyStoredGrant(grant: StoredGrant, ctx: GrantContext): Result<VerifiedGrant> {
  switch (grant.kind) {
    case 'online':
    case 'extension':
      return verifyMachineGrant(grant, ctx);
    case 'phone':
      return verifyPhoneGrant(grant, ctx);
    case 'volume':
      return verifyVolumeGrant(grant, ctx);
    case 'token':
      return verifyTokenGrant(grant, ctx);
  }
}

/** Opens a volume host certificate signed by the vendor key. */
export function openHostCertificate(text: string, vendorKey: string): Result<HostCertificate> {
  const opened = openTyped(text, 'host-cert', vendorKey, hostCertificateSchema);
  if (!opened.ok && opened.error.code === 'grant.signature') {
    return fail('grant.untrusted', 'the volume host certificate is not signed by the vendor key');
  }
  return opened;
}

/** Opens a volume grant: the host certificate must come from the vendor and name the product. */
export function openVolumeGrant(
  text: string,
  hostCertificate: string,
  vendorKey: string,
): Result<{ grant: VolumeGrant; certificate: HostCertificate }> {
  const certificate = openHostCertificate(hostCertificate, vendorKey);
  if (!certificate.ok) return certificate;
  const grant = openTyped(text, 'volume-grant', certificate.value.hostPublicKey, volumeGrantSchema);
  if (!grant.ok) return grant;
  if (!certificate.value.activationIds.includes(grant.value.activationId)) {
    return fail('grant.untrusted', 'the volume host is not certified for this product');
  }
  if (grant.value.hostId !== certificate.value.hostId) {
    return fail('grant.untrusted', 'the volume grant and the host certificate name other hosts');
  }
  return ok({ grant: grant.value, certificate: certificate.value });
}

function verifyMachineGrant(
  grant: Extract<StoredGrant, { kind: 'online' | 'extension' }>,
  ctx: GrantContext,
): Result<VerifiedGrant> {
  const opened = openTyped(grant.document, 'grant', ctx.vendorKey, machineGrantSchema);
  if (!opened.ok) return opened;
  const payload = opened.value;
  if (payload.type !== grant.kind) return fail('grant.malformed', 'the grant is of another type');
  const mismatch = matchProductAndKey(payload.activationId, payload.key, ctx);
  if (mismatch !== null) return mismatch;
  if (fingerprintOfComponents(grant.components) !== payload.fingerprint) {
    return fail('grant.wrong_machine', 'the grant is bound to another machine');
  }
  return ok({
    kind: grant.kind,
    grantId: payload.grantId,
    signedTime: payload.issuedAt,
    activatedAt: payload.issuedAt,
    expiresAt: payload.expiresAt,
    extendedProductId: payload.extendedProductId,
    drift: bindingDrift(grant.components, ctx.components),
    volume: null,
  });
}

function verifyPhoneGrant(
  grant: Extract<StoredGrant, { kind: 'phone' }>,
  ctx: GrantContext,
): Result<VerifiedGrant> {
  const content = parseInstallationId(grant.installationId);
  if (!content.ok) return fail('grant.malformed', 'the stored Installation ID is damaged');
  const signature = parseConfirmationId(grant.confirmationId);
  if (!signature.ok) return fail('grant.malformed', 'the stored Confirmation ID is damaged');
  const verified = verifyConfirmationId(content.value, signature.value, ctx.vendorKey);
  if (!verified.ok) return fail('grant.signature', 'the Confirmation ID does not verify');
  const { channel, skuCode, serial, machine } = content.value;
  const mismatch = matchProductAndKey(ctx.activationId, { channel, skuCode, serial }, ctx);
  if (mismatch !== null) return mismatch;
  if (!fingerprintOfComponents(grant.components).startsWith(machine)) {
    return fail('grant.wrong_machine', 'the Confirmation ID was issued for another machine');
  }
  return ok({
    kind: 'phone',
    grantId: `phone:${machine}`,
    signedTime: null,
    activatedAt: grant.activatedAt,
    expiresAt: null,
    extendedProductId: '',
    drift: bindingDrift(grant.components, ctx.components),
    volume: null,
  });
}

function verifyVolumeGrant(
  grant: Extract<StoredGrant, { kind: 'volume' }>,
  ctx: GrantContext,
): Result<VerifiedGrant> {
  const opened = openVolumeGrant(grant.document, grant.hostCertificate, ctx.vendorKey);
  if (!opened.ok) return opened;
  const volume = opened.value.grant;
  if (volume.activationId !== ctx.activationId) {
    return fail('grant.wrong_product', 'the volume grant is for another product');
  }
  if (volume.clientMachineId !== ctx.clientMachineId) {
    return fail('grant.wrong_machine', 'the volume grant is for another client machine ID');
  }
  return ok({
    kind: 'volume',
    grantId: `${volume.hostId}:${volume.nonce}`,
    signedTime: volume.issuedAt,
    activatedAt: volume.issuedAt,
    expiresAt: volume.expiresAt,
    extendedProductId: volume.extendedProductId,
    drift: 0,
    volume,
  });
}

function matchProductAndKey(
  activationId: string,
  key: GrantContext['key'],
  ctx: GrantContext,
): Result<never> | null {
  if (activationId !== ctx.activationId) {
    return fail('grant.wrong_product', 'the grant is for another product');
  }
  const same =
    key.channel === ctx.key.channel &&
    key.skuCode === ctx.key.skuCode &&
    key.serial === ctx.key.serial;
  return same ? null : fail('grant.wrong_key', 'the grant is for another product key');
}

function openTyped<S extends z.ZodType>(
  text: string,
  kind: DocumentKind,
  publicKey: string,
  schema: S,
): Result<z.output<S>> {
  const opened = openDocument(text, kind, publicKey);
  if (!opened.ok) return opened;
  const parsed = schema.safeParse(opened.value);
  if (!parsed.success) return fail('grant.malformed', `the ${kind} does not match its schema`);
  return ok(parsed.data);
}

/** Codes that mean a grant was tampered with or forged, as opposed to merely not applying. */
export const NON_GENUINE_CODES: readonly ErrorCode[] = [
  'grant.malformed',
  'grant.version',
  'grant.signature',
  'grant.untrusted',
  'grant.wrong_machine',
];
