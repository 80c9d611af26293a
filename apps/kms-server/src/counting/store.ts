import Database from 'better-sqlite3';

/** The window in which a client machine counts. */
export const COUNT_WINDOW_MS = 30 * 86_400_000;

/** What one request changes in the store, and what it reads back. */
export interface Sighting {
  readonly family: string;
  readonly clientMachineId: string;
  readonly workstation: string;
  readonly at: number;
  /** The threshold the client asked for, already bounded by the catalog; null when ignored. */
  readonly askedThreshold: number | null;
  /** The SKU's own threshold: the count is kept up to twice the highest threshold seen. */
  readonly skuThreshold: number;
}

/** The count after a sighting, and whether the client machine ID came from another workstation. */
export interface Counted {
  readonly count: number;
  readonly duplicate: boolean;
}

/** Cumulative counters shown by `/dlv` and exported as metrics. */
export type Counters = Readonly<Record<string, number>>;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS clients (
     family TEXT NOT NULL, client_id TEXT NOT NULL, workstation TEXT NOT NULL,
     first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
     PRIMARY KEY (family, client_id)) WITHOUT ROWID`,
  // Counting walks this index from the newest entry and stops at the cap: it never scans.
  'CREATE INDEX IF NOT EXISTS clients_recent ON clients (family, last_seen)',
  `CREATE TABLE IF NOT EXISTS families (
     family TEXT PRIMARY KEY, max_threshold INTEGER NOT NULL) WITHOUT ROWID`,
  'CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID',
];

/** The host's own SQLite store of client machines seen and request counters. */
export class CountingStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly recordTransaction;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL keeps WAL commits durable against a crash of the process, which is what counts.
    this.db.pragma('synchronous = NORMAL');
    for (const statement of SCHEMA) this.db.exec(statement);
    this.statements = prepare(this.db);
    this.recordTransaction = this.db.transaction(
      (sighting: Sighting, countersFor: (counted: Counted) => readonly string[]) =>
        this.recordNow(sighting, countersFor),
    );
  }

  /** Records a client machine sighting and bumps the counters it names, in one transaction. */
  record(sighting: Sighting, countersFor: (counted: Counted) => readonly string[]): Counted {
    return this.recordTransaction(sighting, countersFor);
  }

  /** Bumps counters only (refused requests are not sightings). */
  bump(counters: readonly string[]): void {
    this.db.transaction(() => {
      for (const name of counters) this.statements.bump.run(name);
    })();
  }

  /** The current count for a family, without recording anything. */
  count(family: string, now: number): number {
    return this.countNow(family, now);
  }

  /** Every cumulative counter. */
  counters(): Counters {
    const rows = this.statements.counters.all() as { name: string; value: number }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  /** Every family with its current count. */
  families(now: number): Record<string, number> {
    const rows = this.statements.families.all() as { family: string }[];
    return Object.fromEntries(rows.map((row) => [row.family, this.countNow(row.family, now)]));
  }

  /** Deletes up to `limit` client records older than the window; returns how many went. */
  prune(now: number, limit = 10_000): number {
    const families = this.statements.families.all() as { family: string }[];
    const cutoff = now - COUNT_WINDOW_MS;
    return families.reduce(
      (gone, { family }) => gone + this.statements.prune.run(family, family, cutoff, limit).changes,
      0,
    );
  }

  /** Bulk-inserts client records (benchmarks and tests that need a large history). */
  seed(family: string, ids: Iterable<string>, at: number): void {
    this.db.transaction(() => {
      for (const id of ids) this.statements.seed.run({ family, id, at });
    })();
  }

  close(): void {
    this.db.close();
  }

  private recordNow(
    sighting: Sighting,
    countersFor: (counted: Counted) => readonly string[],
  ): Counted {
    const { family, clientMachineId, workstation, at } = sighting;
    const before = this.statements.find.get(family, clientMachineId) as
      | { workstation: string; last_seen: number }
      | undefined;
    const duplicate =
      before !== undefined &&
      before.workstation !== workstation &&
      before.last_seen > at - COUNT_WINDOW_MS;
    this.statements.upsert.run({ family, id: clientMachineId, workstation, at });
    const asked = Math.max(sighting.skuThreshold, sighting.askedThreshold ?? 0);
    this.statements.family.run({ family, threshold: asked });
    const counted = { count: this.countNow(family, at), duplicate };
    for (const name of countersFor(counted)) this.statements.bump.run(name);
    return counted;
  }

  private countNow(family: string, now: number): number {
    const row = this.statements.maxThreshold.get(family) as { max_threshold: number } | undefined;
    if (row === undefined) return 0;
    const cap = 2 * row.max_threshold;
    const counted = this.statements.count.get(family, now - COUNT_WINDOW_MS, cap) as { n: number };
    return counted.n;
  }
}

function prepare(db: Database.Database) {
  return {
    find: db.prepare(
      'SELECT workstation, last_seen FROM clients WHERE family = ? AND client_id = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO clients (family, client_id, workstation, first_seen, last_seen)
       VALUES (@family, @id, @workstation, @at, @at)
       ON CONFLICT (family, client_id)
       DO UPDATE SET workstation = @workstation, last_seen = MAX(last_seen, @at)`,
    ),
    family: db.prepare(
      `INSERT INTO families (family, max_threshold) VALUES (@family, @threshold)
       ON CONFLICT (family) DO UPDATE SET max_threshold = MAX(max_threshold, @threshold)`,
    ),
    maxThreshold: db.prepare('SELECT max_threshold FROM families WHERE family = ?'),
    count: db.prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM clients
       WHERE family = ? AND last_seen > ? ORDER BY last_seen DESC LIMIT ?)`,
    ),
    bump: db.prepare(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1`,
    ),
    counters: db.prepare('SELECT name, value FROM counters ORDER BY name'),
    families: db.prepare('SELECT family FROM families ORDER BY family'),
    prune: db.prepare(
      `DELETE FROM clients WHERE family = ? AND client_id IN (SELECT client_id FROM clients
       WHERE family = ? AND last_seen <= ? ORDER BY last_seen LIMIT ?)`,
    ),
    seed: db.prepare(
      `INSERT OR IGNORE INTO clients (family, client_id, workstation, first_seen, last_seen)
       VALUES (@family, @id, '', @at, @at)`,
    ),
  };
}
