import { type DocumentKind, openDocument } from '../documents/document.js';
import { matchesShape } from '../documents/shape.js';
import type { ErrorCode } from '../errors.js';
import type { Channel } from '../keys/index.js';
import { bindingDrift, fingerprintOfComponents } from '../machine/identity.js';
import { parseConfirmationId, parseInstallationId, verifyConfirmationId } from '../phone/index.js';
import { fail, ok, type Result } from '../result.js';
import { extendedProductId } from './extended-product-id.js';
import type {
  HostCertificate,
  MachineGrant,
  StoredGrant,
  VerifiedGrant,
  VolumeGrant,
} from './schema.js';
import { HOST_CERTIFICATE_SHAPE, MACHINE_GRANT_SHAPE, VOLUME_GRANT_SHAPE } from './shapes.js';
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

/** Checks a payload's structure; zod schemas at the edges, shapes on the display path. */
export type PayloadCheck = (payload: unknown) => boolean;

const SHAPE_CHECKS = {
  certificate: (payload: unknown) => matchesShape(payload, HOST_CERTIFICATE_SHAPE),
  volume: (payload: unknown) => matchesShape(payload, VOLUME_GRANT_SHAPE),
};

/** Opens a volume host certificate signed by the vendor key. */
export function readHostCertificate(
  text: string,
  vendorKey: string,
  check: PayloadCheck,
): Result<HostCertificate> {
  const opened = openChecked<HostCertificate>(text, 'host-cert', vendorKey, check);
  if (!opened.ok && opened.error.code === 'grant.signature') {
    return fail('grant.untrusted', 'the volume host certificate is not signed by the vendor key');
  }
  return opened;
}

/** Opens a volume grant: the host certificate must come from the vendor and name the product. */
export function readVolumeGrant(
  text: string,
  hostCertificate: string,
  vendorKey: string,
  checks: { certificate: PayloadCheck; volume: PayloadCheck },
): Result<{ grant: VolumeGrant; certificate: HostCertificate }> {
  const certificate = readHostCertificate(hostCertificate, vendorKey, checks.certificate);
  if (!certificate.ok) return certificate;
  const { hostPublicKey } = certificate.value;
  const grant = openChecked<VolumeGrant>(text, 'volume-grant', hostPublicKey, checks.volume);
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
  const check = (payload: unknown) => matchesShape(payload, MACHINE_GRANT_SHAPE);
  const opened = openChecked<MachineGrant>(grant.document, 'grant', ctx.vendorKey, check);
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
    // A Confirmation ID carries no extended product ID: derive it from what the Installation ID
    // carries, as the service does, dated when it was deposited here.
    extendedProductId: extendedProductId({ channel, skuCode, serial }, grant.activatedAt),
    drift: bindingDrift(grant.components, ctx.components),
    volume: null,
  });
}

function verifyVolumeGrant(
  grant: Extract<StoredGrant, { kind: 'volume' }>,
  ctx: GrantContext,
): Result<VerifiedGrant> {
  const opened = readVolumeGrant(
    grant.document,
    grant.hostCertificate,
    ctx.vendorKey,
    SHAPE_CHECKS,
  );
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

function openChecked<T>(
  text: string,
  kind: DocumentKind,
  publicKey: string,
  check: PayloadCheck,
): Result<T> {
  const opened = openDocument(text, kind, publicKey);
  if (!opened.ok) return opened;
  if (!check(opened.value)) return fail('grant.malformed', `the ${kind} does not match its schema`);
  return ok(opened.value as T);
}

/** Codes that mean a grant was tampered with or forged, as opposed to merely not applying. */
export const NON_GENUINE_CODES: readonly ErrorCode[] = [
  'grant.malformed',
  'grant.version',
  'grant.signature',
  'grant.untrusted',
  'grant.wrong_machine',
];
