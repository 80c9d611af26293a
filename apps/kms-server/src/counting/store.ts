import { keepWal, type WalKeeper } from '@slm/sqlite-wal';
import Database from 'better-sqlite3';

/** The window in which a client machine counts. */
export const COUNT_WINDOW_MS = 30 * 86_400_000;

/**
 * How long sightings wait to be committed together, and their answers with them. Longer makes
 * fewer commits but leaves the host idle while its clients wait: with 50 clients at once, 5 ms
 * gave 5,900 activations/s, 3 ms 6,300-6,500/s, 1 ms 5,700/s (commits then cost more than the
 * wait saved).
 */
export const GROUP_COMMIT_MS = 3;

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

/** How a store runs. */
export interface CountingStoreOptions {
  /**
   * Checkpoint the write-ahead log on a background thread this often, instead of on the thread
   * that answers requests (a running host does; tests and tools need not).
   */
  readonly checkpointEveryMs?: number | undefined;
  /** Told when background checkpoints fail and the store falls back to checkpointing itself. */
  readonly onCheckpointFailure?: ((message: string) => void) | undefined;
}

/** Runs once what was recorded before it is committed; `failure` when the commit failed. */
export type AfterCommit = (failure: Error | null) => void;

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
  // Counters and family thresholds live in memory and reach the database in batches: writing
  // them on every request cost more than the counting itself.
  private readonly pending = new Map<string, number>();
  private readonly thresholds = new Map<string, number>();
  // Family → instant until which its count is certainly at the cap. Records only ever get newer,
  // so a full family stays full until its cap-th newest record ages out: no query until then.
  private readonly fullUntil = new Map<string, number>();
  // What waits for the open batch to be committed: answers are sent only once what they
  // acknowledge is in the database.
  private waiting: AfterCommit[] = [];
  private readonly wal: WalKeeper | null;

  constructor(path: string, options: CountingStoreOptions = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL keeps WAL commits durable against a crash of the process, which is what counts.
    this.db.pragma('synchronous = NORMAL');
    for (const statement of SCHEMA) this.db.exec(statement);
    this.statements = prepare(this.db);
    this.loadThresholds();
    // The fsync of a checkpoint on this thread held up every request behind it.
    this.wal =
      options.checkpointEveryMs === undefined
        ? null
        : keepWal(this.db, {
            everyMs: options.checkpointEveryMs,
            onFailure: options.onCheckpointFailure,
          });
    this.recordTransaction = (
      sighting: Sighting,
      countersFor: (counted: Counted) => readonly string[],
    ): Counted => {
      this.openBatch();
      return this.recordNow(sighting, countersFor);
    };
  }

  /** Records a client machine sighting and bumps the counters it names, in one transaction. */
  record(sighting: Sighting, countersFor: (counted: Counted) => readonly string[]): Counted {
    return this.recordTransaction(sighting, countersFor);
  }

  /** Bumps counters (kept in memory until the next flush). */
  bump(counters: readonly string[]): void {
    for (const name of counters) this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
  }

  /**
   * Group commit: sightings made within GROUP_COMMIT_MS share one transaction. Each request
   * still sees every earlier sighting (same connection), a clean stop commits what is open, and
   * no answer goes out before its sighting is committed (afterCommit); a commit per request
   * cost more than the counting itself.
   */
  private openBatch(): void {
    if (this.db.inTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    setTimeout(() => this.commit(), GROUP_COMMIT_MS).unref();
  }

  /**
   * Runs `then` once every sighting recorded so far is committed: at once when none is waiting,
   * else after the open batch's commit, in the order asked.
   */
  afterCommit(then: AfterCommit): void {
    if (this.db.inTransaction) this.waiting.push(then);
    else then(null);
  }

  /** Commits the open batch of sightings, if any, then runs what waited for it. */
  commit(): void {
    if (!this.db.open || !this.db.inTransaction) return;
    let failure: Error | null = null;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      this.rollBack();
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const then of waiting) then(failure);
    if (failure === null) this.wal?.afterCommit();
  }

  /** Writes bumped counters to the database; the host calls it every second and on stop. */
  flush(): void {
    this.commit();
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    this.db.transaction(() => {
      for (const [name, by] of batch) this.statements.bump.run({ name, by });
    })();
  }

  /** The current count for a family, without recording anything. */
  count(family: string, now: number): number {
    return this.countNow(family, now);
  }

  /** Every cumulative counter, flushed or not. */
  counters(): Counters {
    const rows = this.statements.counters.all() as { name: string; value: number }[];
    const totals = new Map(rows.map((row) => [row.name, row.value]));
    for (const [name, by] of this.pending) totals.set(name, (totals.get(name) ?? 0) + by);
    return Object.fromEntries([...totals].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every family with its current count. */
  families(now: number): Record<string, number> {
    return Object.fromEntries(
      [...this.thresholds.keys()].map((family) => [family, this.countNow(family, now)]),
    );
  }

  /** Deletes up to `limit` client records older than the window; returns how many went. */
  prune(now: number, limit = 10_000): number {
    const cutoff = now - COUNT_WINDOW_MS;
    return [...this.thresholds.keys()].reduce(
      (gone, family) => gone + this.statements.prune.run(family, family, cutoff, limit).changes,
      0,
    );
  }

  /** Bulk-records client machines as seen at `at` (benchmarks and tests that need a history). */
  seed(family: string, ids: Iterable<string>, at: number): void {
    this.commit();
    this.db.transaction(() => {
      for (const id of ids) this.statements.seed.run({ family, id, at });
    })();
  }

  /**
   * Commits and closes; the checkpoint thread's connection closes first, so that this last one
   * checkpoints what is left and removes the log.
   */
  close(): Promise<void> {
    this.flush();
    this.commit();
    const wal = this.wal;
    if (wal === null) {
      this.db.close();
      return Promise.resolve();
    }
    return wal.stop().then(() => {
      this.db.close();
    });
  }

  /** The sightings of a batch whose commit failed are gone: forget what memory says of them. */
  private rollBack(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.thresholds.clear();
    this.fullUntil.clear();
    this.loadThresholds();
  }

  private loadThresholds(): void {
    for (const row of this.statements.thresholds.all() as {
      family: string;
      max_threshold: number;
    }[]) {
      this.thresholds.set(row.family, row.max_threshold);
    }
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
    this.raiseThreshold(family, Math.max(sighting.skuThreshold, sighting.askedThreshold ?? 0));
    const counted = { count: this.countNow(family, at), duplicate };
    this.bump(countersFor(counted));
    return counted;
  }

  private raiseThreshold(family: string, threshold: number): void {
    if ((this.thresholds.get(family) ?? 0) >= threshold) return;
    this.statements.family.run({ family, threshold });
    this.thresholds.set(family, threshold);
    this.fullUntil.delete(family);
  }

  private countNow(family: string, now: number): number {
    const threshold = this.thresholds.get(family);
    if (threshold === undefined) return 0;
    const cap = 2 * threshold;
    if (now < (this.fullUntil.get(family) ?? 0)) return cap;
    const counted = this.statements.count.get(family, now - COUNT_WINDOW_MS, cap) as { n: number };
    if (counted.n >= cap) {
      const edge = this.statements.nthNewest.get(family, cap - 1) as { last_seen: number };
      this.fullUntil.set(family, edge.last_seen + COUNT_WINDOW_MS);
    }
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
    thresholds: db.prepare('SELECT family, max_threshold FROM families'),
    nthNewest: db.prepare(
      'SELECT last_seen FROM clients WHERE family = ? ORDER BY last_seen DESC LIMIT 1 OFFSET ?',
    ),
    count: db.prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM clients
       WHERE family = ? AND last_seen > ? ORDER BY last_seen DESC LIMIT ?)`,
    ),
    bump: db.prepare(
      `INSERT INTO counters (name, value) VALUES (@name, @by)
       ON CONFLICT (name) DO UPDATE SET value = value + @by`,
    ),
    counters: db.prepare('SELECT name, value FROM counters ORDER BY name'),
    prune: db.prepare(
      `DELETE FROM clients WHERE family = ? AND client_id IN (SELECT client_id FROM clients
       WHERE family = ? AND last_seen <= ? ORDER BY last_seen LIMIT ?)`,
    ),
    seed: db.prepare(
      `INSERT INTO clients (family, client_id, workstation, first_seen, last_seen)
       VALUES (@family, @id, '', @at, @at)
       ON CONFLICT (family, client_id) DO UPDATE SET last_seen = MAX(last_seen, @at)`,
    ),
  };
}
