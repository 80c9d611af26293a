import type { OnlineActivationRequest, OnlineActivationResponse } from '@slm/activation-client';
import {
  type Catalog,
  type CatalogSku,
  hmacSha256,
  isAuthentic,
  issueHostCertificate,
  issueMachineGrant,
  type ProductKey,
  parseProductKey,
  toHex,
} from '@slm/core';
import type { KeyRow } from '../db/schema.js';
import { claimActivation, type Issued } from './claim.js';
import type { ActivationDeps } from './deps.js';
import { hostActivationIds, skuOf, targetSku } from './product.js';
import { activationRecord, extendedProductId as extendedProductIdOf, refusal } from './verdicts.js';

/** The hash a key is stored under: HMAC with the vendor key secret, so a leak reveals nothing. */
export function keyHash(secret: Uint8Array, key: ProductKey): string {
  return toHex(hmacSha256(secret, key.text));
}

/** Online activation: key + fingerprint → a vendor-signed grant bound to that machine. */
export async function activateOnline(
  deps: ActivationDeps,
  catalog: Catalog,
  request: OnlineActivationRequest,
): Promise<OnlineActivationResponse> {
  const parsed = parseProductKey(request.key);
  if (!parsed.ok) return refusal(parsed.error.code, parsed.error.message, parsed.error.context);
  const key = parsed.value;
  if (!isAuthentic(deps.secrets.keySecret, key)) {
    return refusal('key.forged', undefined, { partial: key.partial });
  }

  const target = targetSku(skuOf(catalog, request.activationId), key);
  if (!target.ok) return target.refusal;
  const hostKey = request.installation.hostPublicKey;
  if (key.channel === 'volume_host' && hostKey === undefined) {
    return refusal('key.wrong_channel', 'A volume host key activates only with the host key.');
  }

  const now = deps.now();
  const outcome = await claimActivation(
    deps.vdb,
    {
      lookup: { by: 'hash', keyHash: keyHash(deps.secrets.keySecret, key) },
      machine: request.fingerprint.slice(0, 16),
      fingerprint: request.fingerprint,
      method: key.channel === 'volume_host' ? 'host' : 'online',
      activationId: target.value.sku.activationId,
      now,
    },
    (row, id) => issueGrant(deps, { row, id, now, target: target.value, request }),
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
  readonly row: KeyRow;
  readonly id: string;
  readonly now: number;
  readonly target: CatalogSku;
  readonly request: OnlineActivationRequest;
}

function issueGrant(deps: ActivationDeps, input: GrantInput): Issued {
  const { row, id, now, target, request } = input;
  const extendedProductId = extendedProductIdOf(row, now);
  const key = {
    channel: keyChannel(row),
    skuCode: row.sku_code,
    serial: row.serial,
    partial: row.partial,
  };
  const grant = issueMachineGrant(
    {
      type: 'online',
      grantId: id,
      activationId: target.sku.activationId,
      key,
      fingerprint: request.fingerprint,
      issuedAt: now,
      expiresAt: null,
      extendedProductId,
    },
    deps.secrets.privateKeyPem,
  );
  return { extendedProductId, proof: grant, hostCertificate: hostCertificateFor(deps, input) };
}

// A volume host key's activation certifies the host's own key for the volume client SKUs.
function hostCertificateFor(deps: ActivationDeps, input: GrantInput): string | null {
  const hostPublicKey = input.request.installation.hostPublicKey;
  if (input.row.channel !== 'volume_host' || hostPublicKey === undefined) return null;
  return issueHostCertificate(
    {
      hostId: input.id,
      hostPublicKey,
      activationIds: hostActivationIds(input.target),
      hostKeyPartial: input.row.partial,
      issuedAt: input.now,
      expiresAt: null,
    },
    deps.secrets.privateKeyPem,
  );
}

function keyChannel(row: KeyRow) {
  return row.channel as ProductKey['channel'];
}
