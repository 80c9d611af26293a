import { randomUUID } from 'node:crypto';
import {
  type Channel,
  fail,
  keyProof,
  mintProductKey,
  ok,
  parseProductKey,
  type Result,
  type Sku,
  unwrap,
} from '@slm/core';
import { keyHash } from '../activation/online.js';
import { insertKeysQuery, topSerialQuery } from '../db/keys.js';
import type { VendorDb } from '../db/open.js';
import type { NewKeyRow } from '../db/schema.js';

/** A batch to mint. */
export interface MintOrder {
  readonly sku: Sku;
  readonly channel: Channel;
  readonly count: number;
  /** Activations allowed per key; null for none. MAK defaults to the SKU's MAK limit. */
  readonly activationLimit?: number | null | undefined;
}

/** A minted batch: the full keys, shown once. */
export interface MintedBatch {
  readonly batchId: string;
  readonly channel: Channel;
  readonly skuCode: number;
  readonly activationLimit: number | null;
  readonly keys: string[];
}

const CHUNK = 500;
const HOST_DEFAULT_LIMIT = 10;

/** Mints a batch of keys in chunks, recording each key's hash; `progress` sees each chunk. */
export async function mintBatch(
  vdb: VendorDb,
  secret: Uint8Array,
  order: MintOrder,
  now: number,
  progress: (done: number, total: number) => void = () => undefined,
  /** Given each chunk's keys once they are committed, before the next chunk is minted. */
  committed: (keys: readonly string[]) => Promise<void> | void = () => undefined,
): Promise<Result<MintedBatch>> {
  if (!order.sku.channels.includes(order.channel)) {
    return fail('key.wrong_channel', `${order.sku.name} is not sold through ${order.channel}`);
  }
  const batch: MintedBatch = {
    batchId: randomUUID(),
    channel: order.channel,
    skuCode: order.sku.skuCode,
    activationLimit: limitFor(order),
    keys: [],
  };
  while (batch.keys.length < order.count) {
    const size = Math.min(CHUNK, order.count - batch.keys.length);
    const chunk = mintChunk(vdb, secret, batch, size, now);
    batch.keys.push(...chunk);
    await committed(chunk);
    progress(batch.keys.length, order.count);
    // Let requests in between chunks: each chunk is one short write transaction.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return ok(batch);
}

function limitFor(order: MintOrder): number | null {
  if (order.activationLimit !== undefined) return order.activationLimit;
  if (order.channel === 'mak') return order.sku.makActivationLimit;
  if (order.channel === 'volume_host') return HOST_DEFAULT_LIMIT;
  return null;
}

function mintChunk(
  vdb: VendorDb,
  secret: Uint8Array,
  batch: MintedBatch,
  size: number,
  now: number,
): string[] {
  return vdb.immediate(() => {
    const [top] = vdb.rows(topSerialQuery(vdb.db, batch.skuCode, batch.channel));
    const first = Number(top?.top ?? 0) + 1;
    const texts = Array.from({ length: size }, (_, i) =>
      mintProductKey(secret, { channel: batch.channel, skuCode: batch.skuCode, serial: first + i }),
    );
    vdb.run(
      insertKeysQuery(
        vdb.db,
        texts.map((text) => keyRow(secret, text, batch, now)),
      ),
    );
    return texts;
  });
}

function keyRow(secret: Uint8Array, text: string, batch: MintedBatch, now: number): NewKeyRow {
  const key = unwrap(parseProductKey(text));
  return {
    key_hash: keyHash(secret, key),
    partial: key.partial,
    channel: key.channel,
    sku_code: key.skuCode,
    serial: key.serial,
    key_proof: keyProof(key),
    activation_limit: batch.activationLimit,
    blocked: 0,
    blocked_reason: null,
    batch_id: batch.batchId,
    created_at: now,
  };
}
