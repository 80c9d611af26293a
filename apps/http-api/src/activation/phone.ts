import type { PhoneActivationRequest, PhoneActivationResponse } from '@slm/activation-client';
import {
  type Catalog,
  extendedProductId,
  findSkuByCode,
  issueConfirmationId,
  parseInstallationId,
} from '@slm/core';
import { claimActivation } from './claim.js';
import type { ActivationDeps } from './deps.js';
import { targetSku } from './product.js';
import { activationRecord, refusal } from './verdicts.js';

/**
 * Phone activation: an Installation ID → a Confirmation ID, with the limits and reasons of online
 * activation. The IID carries the key's identity and proof, never the key, so the key is found
 * by identity and its stored proof must match.
 */
export async function activatePhone(
  deps: ActivationDeps,
  catalog: Catalog,
  request: PhoneActivationRequest,
): Promise<PhoneActivationResponse> {
  const parsed = parseInstallationId(request.installationId);
  if (!parsed.ok) return refusal(parsed.error.code, parsed.error.message, parsed.error.context);
  const iid = parsed.value;

  const target = targetSku(findSkuByCode(catalog, iid.skuCode), iid);
  if (!target.ok) return target.refusal;
  if (iid.channel === 'volume_host') {
    return refusal('key.wrong_channel', 'A volume host activates online, with its host key.');
  }

  const now = deps.now();
  // Ed25519 is deterministic: the same IID always gets the same Confirmation ID.
  const cid = issueConfirmationId(iid, deps.secrets.privateKeyPem);
  const outcome = await claimActivation(
    deps.vdb,
    {
      lookup: { by: 'identity', skuCode: iid.skuCode, channel: iid.channel, serial: iid.serial },
      matches: (key) => key.key_proof === iid.keyProof,
      machine: iid.machine,
      fingerprint: null,
      method: 'phone',
      activationId: target.value.sku.activationId,
      now,
    },
    () => ({
      // The key was found by the IID's identity: channel, SKU code and serial are the same.
      extendedProductId: extendedProductId(iid, now),
      proof: cid.compact,
      hostCertificate: null,
    }),
  );
  if (outcome.kind === 'refused') return refusal(outcome.code);

  const { row } = outcome;
  return {
    activated: true,
    confirmationId: cid.digits,
    compact: row.proof,
    activation: activationRecord(outcome.key, row, outcome.reused),
  };
}
