import { fromBase64Url, signBytes, toBase64Url, verifyBytes } from '../crypto.js';
import { fail, ok, type Result } from '../result.js';

/**
 * Every signed thing (catalog, grant, host certificate, issuance licence) shares one canonical,
 * versioned encoding: `slm1.<kind>.<payload>.<signature>`, where payload is base64url of the
 * JSON bytes exactly as signed and signature is base64url of the Ed25519 signature over
 * `slm1.<kind>.<payload>`. Carrying the signed bytes as they are means no JSON
 * canonicalisation is needed, and the kind is signed too, so one kind cannot pass for another.
 */
export const DOCUMENT_VERSION = 'slm1';

/** The kinds of signed document. */
export type DocumentKind =
  | 'catalog'
  | 'grant'
  | 'host-cert'
  | 'volume-grant'
  | 'issuance-licence'
  | 'token-grant';

/** Signs a JSON payload as a document of the given kind. */
export function signDocument(kind: DocumentKind, payload: unknown, privateKeyPem: string): string {
  const unsigned = prepareDocument(kind, payload);
  return completeDocument(unsigned, signBytes(unsigned.signed, privateKeyPem));
}

/**
 * A document up to its signature, for a signer elsewhere (another thread, a hardware key):
 * sign `signed` with Ed25519, then {@link completeDocument}.
 */
export interface UnsignedDocument {
  readonly body: string;
  readonly signed: Uint8Array;
}

/** The text of a document of the given kind before it is signed. */
export function prepareDocument(kind: DocumentKind, payload: unknown): UnsignedDocument {
  const body = `${DOCUMENT_VERSION}.${kind}.${toBase64Url(Buffer.from(JSON.stringify(payload)))}`;
  return { body, signed: Buffer.from(body) };
}

/** The signed document: the prepared text and its 64-byte Ed25519 signature. */
export function completeDocument(unsigned: UnsignedDocument, signature: Uint8Array): string {
  if (signature.length !== 64) throw new RangeError('an Ed25519 signature is 64 bytes');
  return `${unsigned.body}.${toBase64Url(signature)}`;
}

/** The parts of a document before its signature is checked. */
export interface DocumentParts {
  readonly kind: string;
  readonly payload: unknown;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

/** Splits a document into its parts; grant.malformed or grant.version when it is not one. */
export function splitDocument(text: string): Result<DocumentParts> {
  const parts = text.trim().split('.');
  if (parts.length !== 4)
    return fail('grant.malformed', 'not a signed document (expected 4 parts)');
  const [version, kind = '', payloadText = '', signatureText = ''] = parts;
  if (version !== DOCUMENT_VERSION) {
    return fail('grant.version', `unsupported document version "${version}"`, {
      version: version ?? '',
    });
  }
  const payloadBytes = fromBase64Url(payloadText);
  const signature = fromBase64Url(signatureText);
  if (payloadBytes === null || signature === null) {
    return fail('grant.malformed', 'document payload or signature is not base64url');
  }
  const payload = parseJson(payloadBytes);
  if (payload === undefined) return fail('grant.malformed', 'document payload is not JSON');
  const signed = Buffer.from(`${version}.${kind}.${payloadText}`);
  return ok({ kind, payload, signed, signature });
}

/** Opens a document of one kind signed by the given public key; names the reason it fails. */
export function openDocument(text: string, kind: DocumentKind, publicKey: string): Result<unknown> {
  const parts = splitDocument(text);
  if (!parts.ok) return parts;
  if (parts.value.kind !== kind) {
    return fail('grant.malformed', `expected a ${kind} document, got "${parts.value.kind}"`, {
      kind: parts.value.kind,
    });
  }
  if (!verifyBytes(parts.value.signed, parts.value.signature, publicKey)) {
    return fail('grant.signature', `the ${kind} signature does not verify with the trusted key`);
  }
  return ok(parts.value.payload);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
