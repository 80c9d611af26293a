import { hmacSha256 } from '../crypto.js';
import { layoutWidth, packBits, unpackBits } from './bits.js';

/** Licensing channels; a key's channel number is its index here. */
export const CHANNELS = [
  'retail',
  'oem',
  'mak',
  'volume_client',
  'volume_host',
  'time_based',
] as const;

/** The channel a product key was issued through. */
export type Channel = (typeof CHANNELS)[number];

/** The key scheme version this code mints and reads. */
export const KEY_VERSION = 1;

/**
 * Product key layout, version 1.
 *
 * | symbols | holds                                                                  |
 * |---------|------------------------------------------------------------------------|
 * | 0–22    | the 105-bit payload in base 24, most significant symbol first          |
 * | 23–24   | check symbols: c = 24·x + y < 571 (see checksum.ts)                    |
 *
 * | payload bits | width | field                                                        |
 * |--------------|-------|--------------------------------------------------------------|
 * | 104–102      | 3     | version (1)                                                  |
 * | 101–99       | 3     | channel: 0 retail, 1 oem, 2 mak, 3 volume_client,            |
 * |              |       | 4 volume_host, 5 time_based (6, 7 undefined)                 |
 * | 98–83        | 16    | skuCode                                                      |
 * | 82–51        | 32    | serial                                                       |
 * | 50–0         | 51    | authenticator: the first 51 bits of HMAC-SHA-256(vendor key  |
 * |              |       | secret, "slm-key/1" ‖ payload bits 104–51 as 7 bytes)        |
 *
 * 24^23 ≈ 2^105.5, so a data value of 2^105 or more is not a key of this scheme.
 */
export const KEY_LAYOUT = { version: 3, channel: 3, skuCode: 16, serial: 32, authenticator: 51 };

/** Bits in the payload of a version 1 key. */
export const PAYLOAD_BITS = layoutWidth(KEY_LAYOUT);

/** The payload fields of a product key, as numbers. */
export interface KeyFields {
  readonly version: number;
  readonly channel: number;
  readonly skuCode: number;
  readonly serial: number;
  readonly authenticator: bigint;
}

const AUTH_DOMAIN = new TextEncoder().encode('slm-key/1');

/** Packs payload fields into the 105-bit payload; out-of-range fields are a bug. */
export function packPayload(fields: KeyFields): bigint {
  const { version, channel, skuCode, serial, authenticator } = fields;
  return packBits(KEY_LAYOUT, {
    version: BigInt(version),
    channel: BigInt(channel),
    skuCode: BigInt(skuCode),
    serial: BigInt(serial),
    authenticator,
  });
}

/** Splits a payload (below 2^105) into its fields. */
export function unpackPayload(payload: bigint): KeyFields {
  const bits = unpackBits(KEY_LAYOUT, payload);
  return {
    version: Number(bits.version),
    channel: Number(bits.channel),
    skuCode: Number(bits.skuCode),
    serial: Number(bits.serial),
    authenticator: bits.authenticator,
  };
}

/** The 51-bit authenticator a vendor key secret gives to the other payload fields. */
export function authenticatorOf(
  secret: Uint8Array,
  fields: Omit<KeyFields, 'authenticator'>,
): bigint {
  const message = new Uint8Array(AUTH_DOMAIN.length + 7);
  message.set(AUTH_DOMAIN);
  writeIdentity(fields, message.subarray(AUTH_DOMAIN.length));
  const mac = hmacSha256(secret, message);
  // The first 51 bits of the MAC: 24 bits from bytes 0-2, then 27 of the 32 in bytes 3-6.
  const high = ((mac[0] ?? 0) << 16) | ((mac[1] ?? 0) << 8) | (mac[2] ?? 0);
  const low = readUint32(mac, 3);
  return BigInt(high * 2 ** 27 + Math.floor(low / 32));
}

// Payload bits 104-51 (version, channel, skuCode, serial) as 7 big-endian bytes.
function writeIdentity(fields: Omit<KeyFields, 'authenticator'>, out: Uint8Array): void {
  const { version, channel, skuCode, serial } = fields;
  checkField('version', version, KEY_LAYOUT.version);
  checkField('channel', channel, KEY_LAYOUT.channel);
  checkField('skuCode', skuCode, KEY_LAYOUT.skuCode);
  checkField('serial', serial, KEY_LAYOUT.serial);
  out[0] = (version << 3) | channel;
  out[1] = skuCode >>> 8;
  out[2] = skuCode & 0xff;
  new DataView(out.buffer, out.byteOffset, 4 + 3).setUint32(3, serial);
}

function checkField(name: string, value: number, width: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
    throw new RangeError(`${name} does not fit in ${width} bits`);
  }
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}
