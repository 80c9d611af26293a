import { layoutWidth, packBits, unpackBits } from '../keys/bits.js';
import { CHANNELS, type Channel, keyProof, type ProductKey } from '../keys/index.js';
import { fail, ok, type Result } from '../result.js';
import { type DigitGroupScheme, readDigitGroups, toDigitGroups } from './digit-groups.js';

/**
 * Installation ID, version 1: 9 groups of 6 digits (5 data digits + 1 Damm check digit), so
 * 54 digits holding 45 data digits, the zero-padded decimal form of a number below 10^45.
 *
 * | bits (msb first) | width | field                                                     |
 * |------------------|-------|-----------------------------------------------------------|
 * | 148–145          | 4     | version (1)                                               |
 * | 144–142          | 3     | channel number of the installed key                       |
 * | 141–126          | 16    | skuCode                                                   |
 * | 125–94           | 32    | serial                                                    |
 * | 93–70            | 24    | keyProof of the key: shows the IID came from its holder   |
 * | 69–6             | 64    | machine: the first 16 hex digits of the fingerprint       |
 * | 5–0              | 6     | zero padding (2^149 < 10^45 < 2^150)                      |
 *
 * Nothing personal is in it; it changes when the key or the machine changes.
 */
export const IID_LAYOUT = {
  version: 4,
  channel: 3,
  skuCode: 16,
  serial: 32,
  keyProof: 24,
  machine: 64,
  padding: 6,
};

/** The Installation ID version this code writes and reads. */
export const IID_VERSION = 1;

/** What an Installation ID tells the vendor. */
export interface InstallationIdContent {
  readonly version: number;
  readonly channel: Channel;
  readonly skuCode: number;
  readonly serial: number;
  readonly keyProof: number;
  /** 16 lower-case hex digits: the start of the machine fingerprint. */
  readonly machine: string;
}

const IID_BITS = BigInt(layoutWidth(IID_LAYOUT));
const DATA_DIGITS = 45;
const SCHEME: DigitGroupScheme = {
  name: 'Installation ID',
  groups: 9,
  codes: { format: 'iid.format', length: 'iid.length', check: 'iid.check_digit' },
};

/** The Installation ID of a product key on a machine (fingerprint: 16 or more hex digits). */
export function installationId(
  key: ProductKey,
  fingerprint: string,
): { digits: string; content: InstallationIdContent } {
  const machine = fingerprint.slice(0, 16).toLowerCase();
  const { channel, skuCode, serial } = key;
  const content = {
    version: IID_VERSION,
    channel,
    skuCode,
    serial,
    keyProof: keyProof(key),
    machine,
  };
  return { digits: formatInstallationId(content), content };
}

/** The 54 digits of an Installation ID in 9 dash-separated groups; bad content is a bug. */
export function formatInstallationId(content: InstallationIdContent): string {
  return toDigitGroups(dataDigits(content));
}

/** The exact bytes a Confirmation ID signs: ASCII "slm-cid/1:" and the 45 data digits. */
export function installationIdMessage(content: InstallationIdContent): Uint8Array {
  return new TextEncoder().encode(`slm-cid/1:${dataDigits(content)}`);
}

/** Reads an Installation ID as typed: dashes, spaces or nothing between the groups. */
export function parseInstallationId(text: string): Result<InstallationIdContent> {
  const data = readDigitGroups(text, SCHEME);
  if (!data.ok) return data;
  const value = BigInt(data.value);
  if (value >> IID_BITS !== 0n) return mistyped('its value is out of range');
  return decode(unpackBits(IID_LAYOUT, value));
}

function dataDigits(content: InstallationIdContent): string {
  const channel = CHANNELS.indexOf(content.channel);
  if (!/^[0-9a-f]{16}$/.test(content.machine)) {
    throw new RangeError('machine must be 16 lower-case hex digits (a fingerprint is hex)');
  }
  const value = packBits(IID_LAYOUT, {
    version: BigInt(content.version),
    channel: BigInt(channel),
    skuCode: BigInt(content.skuCode),
    serial: BigInt(content.serial),
    keyProof: BigInt(content.keyProof),
    machine: BigInt(`0x${content.machine}`),
    padding: 0n,
  });
  return value.toString().padStart(DATA_DIGITS, '0');
}

function decode(fields: Record<keyof typeof IID_LAYOUT, bigint>): Result<InstallationIdContent> {
  if (fields.version === 0n) return mistyped('version 0');
  if (fields.version !== BigInt(IID_VERSION)) return unsupported(`version ${fields.version}`);
  if (fields.padding !== 0n) return mistyped('its padding is not zero');
  const channel = CHANNELS[Number(fields.channel)];
  if (channel === undefined) return mistyped(`channel ${fields.channel} is undefined`);
  return ok({
    version: IID_VERSION,
    channel,
    skuCode: Number(fields.skuCode),
    serial: Number(fields.serial),
    keyProof: Number(fields.keyProof),
    machine: fields.machine.toString(16).padStart(16, '0'),
  });
}

// Each group carries its own check digit but the whole ID has none, so groups typed in the
// wrong order (or a mistyped group whose check digit happens to pass) read as valid groups
// holding nonsense: a version no scheme uses, non-zero padding, an undefined channel.
function mistyped(reason: string): Result<never> {
  return fail(
    'iid.version',
    `This Installation ID does not read as any known scheme (${reason}): it is most likely ` +
      'mistyped. Every group passes its check, so check that the groups are in the order shown.',
    { reason, likely: 'mistyped' },
  );
}

// A version other than 0 and 1 may be a newer scheme, or groups typed in the wrong order.
function unsupported(reason: string): Result<never> {
  return fail(
    'iid.version',
    `This Installation ID was made by an unknown scheme or is mistyped (${reason}): check that ` +
      'the groups are in the order shown; if they are, it needs a newer service.',
    { reason, likely: 'unknown_scheme' },
  );
}
