import type { StoreTransaction, StoreView } from '@slm/machine-store';

/**
 * The key proof of an installed key, kept as a public note so that anyone can display the
 * Installation ID, while the full key stays in the owner-only secrets (and `/cpky` removes it).
 */
export function keyProofNote(
  view: StoreView,
  activationId: string,
  partial: string,
): number | null {
  const note = view.note(`key-proof:${activationId}`);
  const [notedPartial, proof] = note?.split(':') ?? [];
  return notedPartial === partial && proof !== undefined ? Number(proof) : null;
}

/** Records (or, with null, forgets) the key proof of a product's installed key. */
export function setKeyProofNote(
  tx: StoreTransaction,
  activationId: string,
  key: { partial: string; proof: number } | null,
): void {
  tx.setNote(`key-proof:${activationId}`, key === null ? null : `${key.partial}:${key.proof}`);
}
