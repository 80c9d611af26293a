import type { OnlineActivationRequest, OnlineActivationResponse } from '@slm/activation-client';
import {
  type Catalog,
  type CatalogSku,
  completeDocument,
  extendedProductId as extendedProductIdOf,
  hmacSha256,
  isAuthentic,
  type ProductKey,
  parseProductKey,
  prepareHostCertificate,
  prepareMachineGrant,
  type Result,
  toHex,
  type UnsignedDocument,
} from '@slm/core';
import { claimActivation, type Issued, newActivationId } from './claim.js';
import type { ActivationDeps } from './deps.js';
import { hostActivationIds, skuOf, targetSku } from './product.js';
import { activationRecord, refusal } from './verdicts.js';

/** The hash a key is stored under: HMAC with the vendor key secret, so a leak reveals nothing. */
export function keyHash(secret: Uint8Array, key: ProductKey): string {
  return toHex(hmacSha256(secret, key.text));
}

/** What the key secret says of a key: whether it is authentic, and the hash it is stored under. */
interface KeyFacts {
  readonly authentic: boolean;
  readonly hash: string;
}

// Volume and MAK keys activate many machines each, and the two HMACs behind these facts were 8 %
// of an activation. They depend only on the key's text and the secret, so the facts of the last
// KEY_FACTS_KEPT keys are kept (about 0.6 MB), forgotten all at once when the table is full.
const KEY_FACTS_KEPT = 4096;
const factsBySecret = new WeakMap<Uint8Array, Map<string, KeyFacts>>();

function keyFacts(secret: Uint8Array, key: ProductKey): KeyFacts {
  let kept = factsBySecret.get(secret);
  if (kept === undefined) {
    kept = new Map();
    factsBySecret.set(secret, kept);
  }
  let facts = kept.get(key.text);
  if (facts === undefined) {
    const authentic = isAuthentic(secret, key);
    facts = { authentic, hash: authentic ? keyHash(secret, key) : '' };
    if (kept.size >= KEY_FACTS_KEPT) kept.clear();
    kept.set(key.text, facts);
  }
  return facts;
}

// Parsing a key is pure, and the same volume or MAK key arrives again and again: the results
// for the last KEY_FACTS_KEPT texts are kept too (parsing was 3-4 % of an activation).
const parsedKeys = new Map<string, Result<ProductKey>>();

/** {@link parseProductKey}, remembered for recently seen texts. */
export function parseKey(text: string): Result<ProductKey> {
  let parsed = parsedKeys.get(text);
  if (parsed === undefined) {
    parsed = parseProductKey(text);
    if (parsedKeys.size >= KEY_FACTS_KEPT) parsedKeys.clear();
    parsedKeys.set(text, parsed);
  }
  return parsed;
}

/** Online activation: key + fingerprint → a vendor-signed grant bound to that machine. */
export async function activateOnline(
  deps: ActivationDeps,
  catalog: Catalog,
  request: OnlineActivationRequest,
  parsed: Result<ProductKey> = parseKey(request.key),
): Promise<OnlineActivationResponse> {
  if (!parsed.ok) return refusal(parsed.error.code, parsed.error.message, parsed.error.context);
  const key = parsed.value;
  const facts = keyFacts(deps.secrets.keySecret, key);
  if (!facts.authentic) {
    return refusal('key.forged', undefined, { partial: key.partial });
  }

  const target = targetSku(skuOf(catalog, request.activationId), key);
  if (!target.ok) return target.refusal;
  const hostKey = request.installation.hostPublicKey;
  if (key.channel === 'volume_host' && hostKey === undefined) {
    return refusal(
      'key.wrong_channel',
      "A volume host key activates a volume host: send the host's public key as " +
        'installation.hostPublicKey (slmgr /ato on the host does).',
    );
  }

  // Signing is the costliest step and needs nothing from the database: it is done first, on
  // the signer's threads, and the claim's write transaction only records the result. A claim
  // that finds the machine already activated, or the key refused, drops what was signed.
  const now = deps.now();
  const recordId = newActivationId();
  const issued = await signActivation(deps, { key, recordId, now, target: target.value, request });
  const outcome = await claimActivation(
    deps.vdb,
    {
      lookup: { by: 'hash', keyHash: facts.hash },
      machine: request.fingerprint.slice(0, 16),
      fingerprint: request.fingerprint,
      method: key.channel === 'volume_host' ? 'host' : 'online',
      activationId: target.value.sku.activationId,
      now,
      recordId,
    },
    () => issued,
  );
  if (outcome.kind === 'refused') return refusal(outcome.code, undefined, { partial: key.partial });

  const { row } = outcome;
  return {
    activated: true,
    grant: row.proof,
    activation: activationRecord(outcome.key, row, outcome.reused),
    ...(row.host_certificate === null ? {} : { hostCertificate: row.host_certificate }),
  };
}

interface GrantInput {
  readonly key: ProductKey;
  readonly recordId: string;
  readonly now: number;
  readonly target: CatalogSku;
  readonly request: OnlineActivationRequest;
}

// The grant names the key by what it carries (channel, SKU code, serial, last five symbols):
// the same values as the key's row, which is found by the key's hash.
async function signActivation(deps: ActivationDeps, input: GrantInput): Promise<Issued> {
  const { key, recordId, now, target, request } = input;
  const extendedProductId = extendedProductIdOf(key, now);
  const grant = prepareMachineGrant({
    type: 'online',
    grantId: recordId,
    activationId: target.sku.activationId,
    key: { channel: key.channel, skuCode: key.skuCode, serial: key.serial, partial: key.partial },
    fingerprint: request.fingerprint,
    issuedAt: now,
    expiresAt: null,
    extendedProductId,
  });
  const certificate = hostCertificateFor(input);
  const [grantSignature, certificateSignature] = await Promise.all([
    deps.signer.sign(grant.signed),
    certificate === null ? null : deps.signer.sign(certificate.signed),
  ]);
  return {
    extendedProductId,
    proof: completeDocument(grant, grantSignature),
    hostCertificate:
      certificate === null || certificateSignature === null
        ? null
        : completeDocument(certificate, certificateSignature),
  };
}

// A volume host key's activation certifies the host's own key for the volume client SKUs.
function hostCertificateFor(input: GrantInput): UnsignedDocument | null {
  const hostPublicKey = input.request.installation.hostPublicKey;
  if (input.key.channel !== 'volume_host' || hostPublicKey === undefined) return null;
  return prepareHostCertificate({
    hostId: input.recordId,
    hostPublicKey,
    activationIds: hostActivationIds(input.target),
    hostKeyPartial: input.key.partial,
    issuedAt: input.now,
    expiresAt: null,
  });
}
