import {
  type Catalog,
  type CatalogInput,
  fail,
  openCatalog,
  type Result,
  signCatalog,
} from '@slm/core';
import type { Kysely } from 'kysely';
import { httpUrlSchema } from '../config.js';
import type { Database } from '../db/schema.js';

/** The published catalog the service activates against. */
export interface PublishedCatalog {
  readonly version: number;
  readonly publishedAt: number;
  readonly signed: string;
  readonly catalog: Catalog;
}

/** Holds the current published catalog in memory; publishing replaces it. */
export class CatalogState {
  #current: PublishedCatalog | null = null;
  #checkedAt = Number.NEGATIVE_INFINITY;

  get current(): PublishedCatalog | null {
    return this.#current;
  }

  /** Loads the latest published catalog from the database. */
  async load(db: Kysely<Database>, vendorKey: string): Promise<void> {
    const row = await db
      .selectFrom('catalogs')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return;
    const opened = openCatalog(row.signed, vendorKey);
    if (!opened.ok) throw opened.error;
    this.#current = {
      version: row.version,
      publishedAt: row.published_at,
      signed: row.signed,
      catalog: opened.value,
    };
  }

  /**
   * Picks up a catalog that another process published (the CLI, another instance), looking at
   * most once per `everyMs`.
   */
  async refresh(
    db: Kysely<Database>,
    vendorKey: string,
    now: number,
    everyMs = 1000,
  ): Promise<void> {
    if (now - this.#checkedAt < everyMs) return;
    this.#checkedAt = now;
    const row = await db
      .selectFrom('catalogs')
      .select((eb) => eb.fn.max('version').as('top'))
      .executeTakeFirst();
    if (row?.top != null && Number(row.top) !== this.#current?.version)
      await this.load(db, vendorKey);
  }

  /** Signs a catalog with the vendor key, stores it as the next version and makes it current. */
  async publish(
    db: Kysely<Database>,
    input: CatalogInput,
    privateKeyPem: string,
    now: number,
  ): Promise<Result<PublishedCatalog>> {
    // Machines call serviceUrl to activate; core accepts any URL, this service only http(s).
    const url = httpUrlSchema.safeParse(input.serviceUrl);
    if (!url.success) {
      return fail('catalog.malformed', `serviceUrl: ${url.error.issues[0]?.message ?? 'invalid'}`);
    }
    const signed = signCatalog({ ...input, issuedAt: new Date(now).toISOString() }, privateKeyPem);
    if (!signed.ok) return signed;
    const opened = openCatalog(signed.value);
    if (!opened.ok) return opened;
    const row = await db
      .insertInto('catalogs')
      .values({ signed: signed.value, published_at: now })
      .returning('version')
      .executeTakeFirstOrThrow();
    this.#current = {
      version: row.version,
      publishedAt: now,
      signed: signed.value,
      catalog: opened.value,
    };
    return { ok: true, value: this.#current };
  }
}
