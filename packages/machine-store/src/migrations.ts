/** A schema change, applied once, in order, inside the transaction that opens the store. */
export interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

/**
 * The store's schema history. Plain, portable SQL (no SQLite-only syntax) so the same
 * repository layer can target PostgreSQL later; never edit a released migration, add one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      'CREATE TABLE meta (name VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)',
      'CREATE TABLE machine_state (id INTEGER PRIMARY KEY, revision INTEGER NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)',
      'CREATE TABLE licence_files (id VARCHAR(200) PRIMARY KEY, kind VARCHAR(32) NOT NULL, origin VARCHAR(16) NOT NULL, name VARCHAR(255) NOT NULL, content TEXT NOT NULL, installed_at BIGINT NOT NULL)',
    ],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
