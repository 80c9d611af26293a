import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

// Migrations are code, versioned by name; never edit one that has shipped, add the next.
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('keys')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('partial', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('sku_code', 'integer', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('key_proof', 'integer', (c) => c.notNull())
      .addColumn('activation_limit', 'integer')
      .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('blocked_reason', 'text')
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addUniqueConstraint('keys_identity', ['sku_code', 'channel', 'serial'])
      .execute();
    await db.schema.createIndex('keys_partial').on('keys').column('partial').execute();

    await db.schema
      .createTable('activations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'integer', (c) => c.notNull().references('keys.id'))
      .addColumn('machine', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('activation_id', 'text', (c) => c.notNull())
      .addColumn('extended_product_id', 'text', (c) => c.notNull())
      .addColumn('proof', 'text', (c) => c.notNull())
      .addColumn('host_certificate', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('revoked_at', 'integer')
      .execute();
    await sql`create index activations_live on activations (key_id, machine, method)
      where revoked_at is null`.execute(db);
    await db.schema
      .createIndex('activations_machine')
      .on('activations')
      .column('machine')
      .execute();

    await db.schema
      .createTable('catalogs')
      .addColumn('version', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('signed', 'text', (c) => c.notNull())
      .addColumn('published_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('revoked_at', 'integer')
      .execute();
  },
};

/** Every migration, in order of their names. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ '0001_initial': initial }),
};
