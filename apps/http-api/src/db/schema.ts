import type { Generated, Insertable, Selectable } from 'kysely';

/** A minted product key: its hash and identity, never the key itself. */
export interface KeysTable {
  id: Generated<number>;
  /** Hex HMAC of the normalised key text under the vendor key secret. */
  key_hash: string;
  partial: string;
  channel: string;
  sku_code: number;
  serial: number;
  /** keyProof of the key, which Installation IDs carry. */
  key_proof: number;
  /** Activations allowed; null means no limit. */
  activation_limit: number | null;
  blocked: number;
  blocked_reason: string | null;
  batch_id: string;
  created_at: number;
}

/** One machine activated with one key (online, phone or as a volume host). */
export interface ActivationsTable {
  id: string;
  key_id: number;
  /** The first 16 hex digits of the machine fingerprint: what online and phone share. */
  machine: string;
  fingerprint: string | null;
  method: string;
  activation_id: string;
  extended_product_id: string;
  /** The signed grant, Confirmation ID or host certificate, returned again on re-activation. */
  proof: string;
  host_certificate: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface CatalogsTable {
  version: Generated<number>;
  signed: string;
  published_at: number;
}

export interface TokensTable {
  id: string;
  token_hash: string;
  role: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
}

export interface Database {
  keys: KeysTable;
  activations: ActivationsTable;
  catalogs: CatalogsTable;
  tokens: TokensTable;
}

export type KeyRow = Selectable<KeysTable>;
export type NewKeyRow = Insertable<KeysTable>;
export type ActivationRow = Selectable<ActivationsTable>;
export type TokenRow = Selectable<TokensTable>;
