import type { ActivationRecord, Refusal } from '@slm/activation-client';
import type { ErrorCode, ErrorContext } from '@slm/core';
import type { ActivationRow, KeyRow } from '../db/schema.js';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  'key.forged': 'This product key was not issued by this vendor.',
  'key.blocked': 'This product key has been blocked by the vendor.',
  'key.limit_reached': 'This product key has reached its activation limit.',
  'key.wrong_product': 'This product key belongs to another product.',
  'key.wrong_channel': 'This product key cannot be activated this way.',
  'product.not_found': 'The vendor does not offer this product.',
};

/** A refusal verdict: reason code, message and context without any secret. */
export function refusal(code: ErrorCode, message?: string, context?: ErrorContext): Refusal {
  return {
    activated: false,
    reason: code,
    message: message ?? MESSAGES[code] ?? code,
    ...(context === undefined ? {} : { context }),
  };
}

/** The activation as answered to the machine. */
export function activationRecord(
  key: KeyRow,
  row: ActivationRow,
  reused: boolean,
): ActivationRecord {
  return {
    id: row.id,
    channel: key.channel,
    partialKey: key.partial,
    activationId: row.activation_id,
    extendedProductId: row.extended_product_id,
    activatedAt: new Date(row.created_at).toISOString(),
    reused,
  };
}
