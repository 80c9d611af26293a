import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/** An Ed25519 key pair: the public key as base64url of its 32 raw bytes, the private as PEM. */
export interface SigningKeyPair {
  readonly publicKey: string;
  readonly privateKeyPem: string;
}

// The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Generates a fresh Ed25519 key pair (vendor key, volume host key, test keys). */
export function generateSigningKey(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: exportPublicKey(publicKey), privateKeyPem: exportPrivateKey(privateKey) };
}

/** The public key of a PEM private key, as base64url raw bytes. */
export function publicKeyOf(privateKeyPem: string): string {
  return exportPublicKey(createPublicKey(createPrivateKey(privateKeyPem)));
}

/** Signs bytes with an Ed25519 private key in PEM form; returns the 64-byte signature. */
export function signBytes(message: Uint8Array, privateKeyPem: string): Uint8Array {
  return new Uint8Array(sign(null, message, importPrivateKey(privateKeyPem)));
}

/** Verifies an Ed25519 signature against a base64url raw public key; false on any defect. */
export function verifyBytes(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: string,
): boolean {
  const key = importPublicKey(publicKey);
  if (key === null || signature.length !== 64) return false;
  return verify(null, message, key, signature);
}

/** Tells whether a string is a well-formed base64url Ed25519 public key. */
export function isPublicKey(publicKey: string): boolean {
  return importPublicKey(publicKey) !== null;
}

/** SHA-256 of UTF-8 text or bytes. */
export function sha256(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** HMAC-SHA-256 of bytes with a secret. */
export function hmacSha256(secret: Uint8Array, data: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(data).digest());
}

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** base64url of bytes, no padding. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Bytes of a base64url string; null when it is not strictly base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? new Uint8Array(bytes) : null;
}

function exportPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(ED25519_SPKI_PREFIX.length).toString('base64url');
}

function exportPrivateKey(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

// Parsing a PEM costs more than an Ed25519 signature; services sign with one key all day.
const privateKeyCache = new Map<string, KeyObject>();

function importPrivateKey(privateKeyPem: string): KeyObject {
  let key = privateKeyCache.get(privateKeyPem);
  if (key === undefined) {
    key = createPrivateKey(privateKeyPem);
    if (privateKeyCache.size >= 64) privateKeyCache.clear();
    privateKeyCache.set(privateKeyPem, key);
  }
  return key;
}

const publicKeyCache = new Map<string, KeyObject | null>();

function importPublicKey(publicKey: string): KeyObject | null {
  const cached = publicKeyCache.get(publicKey);
  if (cached !== undefined) return cached;
  const raw = fromBase64Url(publicKey);
  const key =
    raw?.length === 32
      ? createPublicKey({
          key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
          format: 'der',
          type: 'spki',
        })
      : null;
  publicKeyCache.set(publicKey, key);
  return key;
}
