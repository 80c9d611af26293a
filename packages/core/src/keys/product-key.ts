import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../crypto.js';
import { fail, ok, type Result } from '../result.js';
import { bigIntToBytes } from './bits.js';
import { checkSymbols, hasValidChecksum } from './checksum.js';
import {
  authenticatorOf,
  CHANNELS,
  type Channel,
  KEY_VERSION,
  type KeyFields,
  PAYLOAD_BITS,
  packPayload,
  unpackPayload,
} from './layout.js';
import { formatKeySymbols, KEY_ALPHABET, readKeySymbols } from './symbols.js';

/** A well-formed product key; whether the vendor issued it is told by `isAuthentic`. */
export interface ProductKey {
  /** Normalised 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX'; a secret once installed: never print or log. */
  readonly text: string;
  readonly version: number;
  readonly channel: Channel;
  readonly skuCode: number;
  readonly serial: number;
  readonly authenticator: bigint;
  /** The last five symbols: how people identify a key, safe to show. */
  readonly partial: string;
}

/** What the vendor chooses when minting a key. */
export interface KeyMint {
  readonly channel: Channel;
  readonly skuCode: number;
  readonly serial: number;
}

const DATA_SYMBOLS = 23;
const BASE = BigInt(KEY_ALPHABET.length);
const CHUNK = 11;
const PROOF_DOMAIN = 'slm-iid-proof/1';

/** Reads a typed or pasted product key, e.g. `parseProductKey(' bcdfg–hjkmp …')`. */
export function parseProductKey(input: string): Result<ProductKey> {
  const symbols = readKeySymbols(input);
  if (!symbols.ok) return symbols;
  const text = formatKeySymbols(symbols.value);
  const partial = text.slice(-5);
  if (!hasValidChecksum(symbols.value)) {
    return fail(
      'key.checksum',
      `The product key ending in ${partial} is mistyped: a symbol is wrong or two are swapped.`,
      { partial },
    );
  }
  return decodeKey(fromBase24(symbols.value.slice(0, DATA_SYMBOLS)), text, partial);
}

/** Mints the text of a product key; out-of-range fields are a bug and throw a RangeError. */
export function mintProductKey(secret: Uint8Array, fields: KeyMint): string {
  const channel = CHANNELS.indexOf(fields.channel);
  if (channel < 0) throw new RangeError(`unknown channel ${String(fields.channel)}`);
  checkInteger('skuCode', fields.skuCode, 0xffff);
  checkInteger('serial', fields.serial, 0xffff_ffff);
  const identity = {
    version: KEY_VERSION,
    channel,
    skuCode: fields.skuCode,
    serial: fields.serial,
  };
  const payload = packPayload({ ...identity, authenticator: authenticatorOf(secret, identity) });
  return encodeKeyText(payload);
}

/** Tells whether a key was minted with this vendor key secret; compares in constant time. */
export function isAuthentic(secret: Uint8Array, key: ProductKey): boolean {
  const channel = CHANNELS.indexOf(key.channel);
  const fields = { version: key.version, channel, skuCode: key.skuCode, serial: key.serial };
  const expected = bigIntToBytes(authenticatorOf(secret, fields), 7);
  if (key.authenticator < 0n || key.authenticator >> 51n !== 0n) return false;
  return timingSafeEqual(expected, bigIntToBytes(key.authenticator, 7));
}

/** 24 bits from the key text that show an Installation ID came from a holder of the real key. */
export function keyProof(key: ProductKey): number {
  const digest = sha256(PROOF_DOMAIN + key.text);
  return ((digest[0] ?? 0) << 16) | ((digest[1] ?? 0) << 8) | (digest[2] ?? 0);
}

/** The key text for a 105-bit payload: 23 data symbols, 2 check symbols, grouped. */
export function encodeKeyText(payload: bigint): string {
  const data = toBase24(payload, DATA_SYMBOLS);
  return formatKeySymbols([...data, ...checkSymbols(data)]);
}

function decodeKey(payload: bigint, text: string, partial: string): Result<ProductKey> {
  if (payload >> BigInt(PAYLOAD_BITS) !== 0n) return unsupported(partial, 'unknown');
  const fields: KeyFields = unpackPayload(payload);
  if (fields.version !== KEY_VERSION) return unsupported(partial, fields.version);
  const channel = CHANNELS[fields.channel];
  if (channel === undefined) {
    return fail(
      'key.wrong_channel',
      `The product key ending in ${partial} names channel ${fields.channel}, which does not exist.`,
      { partial, channel: fields.channel },
    );
  }
  return ok({ ...fields, channel, text, partial });
}

function unsupported(partial: string, version: number | 'unknown'): Result<never> {
  return fail(
    'key.version',
    `The product key ending in ${partial} uses an unsupported key scheme (version ${version}).`,
    { partial, version: String(version) },
  );
}

function checkInteger(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

// Up to 11 base-24 digits fit a double exactly (24^11 < 2^53): the 23 digits are read in three
// chunks as numbers, joined with two bigint steps.
function fromBase24(values: readonly number[]): bigint {
  let result = 0n;
  for (let start = 0; start < values.length; start += CHUNK) {
    const chunk = values.slice(start, start + CHUNK);
    const number = chunk.reduce((acc, value) => acc * KEY_ALPHABET.length + value, 0);
    result = result * BASE ** BigInt(chunk.length) + BigInt(number);
  }
  return result;
}

function toBase24(value: bigint, length: number): number[] {
  const digits = new Array<number>(length).fill(0);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    digits[i] = Number(rest % BASE);
    rest /= BASE;
  }
  return digits;
}
