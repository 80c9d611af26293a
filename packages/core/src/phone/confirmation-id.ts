import { fromBase64Url, isPublicKey, signBytes, toBase64Url, verifyBytes } from '../crypto.js';
import { bigIntToBytes, bytesToBigInt } from '../keys/bits.js';
import { fail, ok, type Result } from '../result.js';
import { type DigitGroupScheme, readDigitGroups, toDigitGroups } from './digit-groups.js';
import { type InstallationIdContent, installationIdMessage } from './installation-id.js';

/**
 * Confirmation ID: the vendor's Ed25519 signature (64 bytes) over installationIdMessage(IID).
 *
 * | form    | length                                                                       |
 * |---------|------------------------------------------------------------------------------|
 * | digits  | 186: the 512-bit signature as 155 decimal digits (zero-padded), in 31 groups |
 * |         | of 5 data digits + 1 Damm check digit, joined by '-'                         |
 * | compact | "CID1-" + base64url of the 64 bytes: 86 characters after the prefix          |
 *
 * Why Ed25519: a standard signature in node:crypto, unforgeable without the vendor's private
 * key, and verified offline in well under a millisecond. BLS short signatures would be 48
 * bytes (about 116 digits) but need pairings that cost tens of milliseconds per status check
 * and another key type beside the vendor's Ed25519 key.
 */
export const CID_COMPACT_PREFIX = 'CID1-';

const SIGNATURE_BYTES = 64;
const SIGNATURE_DIGITS = 155;
const COMPACT_LENGTH = 86;
const SCHEME: DigitGroupScheme = {
  name: 'Confirmation ID',
  groups: 31,
  codes: { format: 'cid.format', length: 'cid.length', check: 'cid.check_digit' },
};

/** Signs an Installation ID's content with the vendor's private key (PEM); both printed forms. */
export function issueConfirmationId(
  content: InstallationIdContent,
  vendorPrivateKeyPem: string,
): { digits: string; compact: string } {
  const signature = signBytes(installationIdMessage(content), vendorPrivateKeyPem);
  const decimal = bytesToBigInt(signature).toString().padStart(SIGNATURE_DIGITS, '0');
  return { digits: toDigitGroups(decimal), compact: CID_COMPACT_PREFIX + toBase64Url(signature) };
}

/** Reads either form of a Confirmation ID (told apart by the "CID1-" prefix) to its 64 bytes. */
export function parseConfirmationId(text: string): Result<Uint8Array> {
  const trimmed = text.trim();
  const prefix = trimmed.slice(0, CID_COMPACT_PREFIX.length).toUpperCase();
  if (prefix === CID_COMPACT_PREFIX) return parseCompact(trimmed.slice(CID_COMPACT_PREFIX.length));
  const data = readDigitGroups(trimmed, SCHEME);
  if (!data.ok) return data;
  const value = BigInt(data.value);
  if (value >> 512n !== 0n) return fail('cid.format', 'This Confirmation ID is out of range.');
  return ok(bigIntToBytes(value, SIGNATURE_BYTES));
}

/**
 * Checks that a Confirmation ID was issued for this Installation ID by the holder of this
 * vendor key (base64url Ed25519 public key; a malformed one is a configuration bug: throws).
 */
export function verifyConfirmationId(
  content: InstallationIdContent,
  signature: Uint8Array,
  vendorPublicKey: string,
): Result<true> {
  if (!isPublicKey(vendorPublicKey)) throw new RangeError('the vendor public key is malformed');
  if (verifyBytes(installationIdMessage(content), signature, vendorPublicKey)) return ok(true);
  return fail(
    'cid.mismatch',
    'This Confirmation ID was not issued for this Installation ID by this product’s vendor.',
  );
}

function parseCompact(body: string): Result<Uint8Array> {
  // Pasted text may wrap; base64url itself has no whitespace, so dropping it is safe.
  const compact = body.replace(/\s/gu, '');
  const foreign = compact.search(/[^A-Za-z0-9_-]/);
  if (foreign >= 0) return foreignCharacter(compact.charAt(foreign), foreign);
  if (compact.length !== COMPACT_LENGTH) return wrongLength(compact.length);
  const signature = fromBase64Url(compact);
  if (signature === null) return fail('cid.format', 'This compact Confirmation ID is corrupt.');
  return ok(signature);
}

function foreignCharacter(character: string, index: number): Result<never> {
  return fail(
    'cid.format',
    `A compact Confirmation ID uses only letters, digits, '-' and '_'; ` +
      `found ${JSON.stringify(character)}.`,
    { position: CID_COMPACT_PREFIX.length + index + 1, character },
  );
}

function wrongLength(count: number): Result<never> {
  return fail(
    'cid.length',
    `A compact Confirmation ID has ${COMPACT_LENGTH} characters after ${CID_COMPACT_PREFIX}; ` +
      `this one has ${count}.`,
    { characters: count, expected: COMPACT_LENGTH },
  );
}
