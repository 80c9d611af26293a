import type { Database } from 'better-sqlite3';

/** An installed licence file: a signed product catalog or an issuance licence. */
export interface LicenceFile {
  /** Stable identity chosen by the caller, e.g. `catalog:<productId>` or `il:<ILID>:<ILvID>`. */
  readonly id: string;
  readonly kind: string;
  /** `folder` when it came from the licence folder (`/rilc`), `file` for `/ilc FILE`. */
  readonly origin: 'folder' | 'file';
  readonly name: string;
  readonly content: string;
  readonly installedAt: number;
}

/** The stored machine state and its revision (how many committed changes it has seen). */
export interface StateRow {
  readonly revision: number;
  readonly state: unknown;
}

interface LicenceFileRow {
  id: string;
  kind: string;
  origin: 'folder' | 'file';
  name: string;
  content: string;
  installed_at: number;
}

/**
 * The store's SQL, kept to portable statements in one place so that a PostgreSQL store can
 * implement the same operations with the same text.
 */
export class Repository {
  constructor(private readonly db: Database) {}

  meta(name: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  setMeta(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  deleteMeta(name: string): void {
    this.db.prepare('DELETE FROM meta WHERE name = ?').run(name);
  }

  state(): StateRow | null {
    const row = this.db.prepare('SELECT revision, state FROM machine_state WHERE id = 1').get() as
      | { revision: number; state: string }
      | undefined;
    return row === undefined ? null : { revision: row.revision, state: JSON.parse(row.state) };
  }

  saveState(state: unknown, revision: number, now: number): void {
    this.db
      .prepare(
        'INSERT INTO machine_state (id, revision, state, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, state = excluded.state, updated_at = excluded.updated_at',
      )
      .run(revision, JSON.stringify(state), now);
  }

  licenceFiles(kind?: string): LicenceFile[] {
    const rows = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM licence_files ORDER BY id').all()
        : this.db.prepare('SELECT * FROM licence_files WHERE kind = ? ORDER BY id').all(kind)
    ) as LicenceFileRow[];
    return rows.map(toLicenceFile);
  }

  putLicenceFile(file: LicenceFile): void {
    this.db
      .prepare(
        'INSERT INTO licence_files (id, kind, origin, name, content, installed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, origin = excluded.origin, name = excluded.name, content = excluded.content, installed_at = excluded.installed_at',
      )
      .run(file.id, file.kind, file.origin, file.name, file.content, file.installedAt);
  }

  removeLicenceFile(id: string): boolean {
    return this.db.prepare('DELETE FROM licence_files WHERE id = ?').run(id).changes > 0;
  }
}

function toLicenceFile(row: LicenceFileRow): LicenceFile {
  return {
    id: row.id,
    kind: row.kind,
    origin: row.origin,
    name: row.name,
    content: row.content,
    installedAt: row.installed_at,
  };
}
