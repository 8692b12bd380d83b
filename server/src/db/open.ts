import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

export interface OpenDatabaseOptions {
  /** Folder holding the database file; created (with parents) on first start. */
  readonly dataDir: string;
  /** Defaults to graphwright.sqlite. */
  readonly fileName?: string;
  /** Page cache per connection in KiB (SQLite's default is 2 MiB; memory stays bounded either way). */
  readonly cacheKiB?: number;
}

export interface Database {
  readonly db: Db;
  /** The raw better-sqlite3 handle, for prepared statements on hot paths. */
  readonly sqlite: BetterSqlite3.Database;
  readonly path: string;
  close(): void;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));
export const DEFAULT_DB_FILE = 'graphwright.sqlite';

/**
 * Opens (creating if needed) the app's SQLite database and applies pending migrations.
 *
 * Durability: WAL journal with `synchronous = NORMAL`. A commit is appended to the WAL before
 * `COMMIT` returns, but the WAL is fsynced only when it is checkpointed, not at every commit.
 * - The process crashes or is killed (SIGKILL, OOM, a bug): nothing committed is lost. The WAL
 *   is in the operating system's page cache and is replayed on the next open (the crash test
 *   SIGKILLs a writer and finds every reported commit).
 * - The machine loses power or the OS crashes: the transactions committed since the last
 *   checkpoint (at most the last ~1,000 WAL pages, typically the last second or so of writes) can
 *   be rolled back; the database is never corrupted and opens consistent (the WAL loses a suffix
 *   of transactions, and saved aggregates only ever count attempts committed with or before them;
 *   the stats store folds the attempts after the saved point back in when it opens).
 * - In both cases, what was not yet committed is lost: the stats store's queue (at most one flush
 *   interval, 200 ms by default, or one batch of attempts) and whatever other writers hold.
 * `FULL` would add an fsync to every commit, closing the power-loss window at the price of a disk
 * flush per batch (milliseconds on many disks, more on network storage). Losing the last moment of
 * statistics and events on a power cut is the trade we take for the app's write throughput.
 */
export function openDatabase(opts: OpenDatabaseOptions): Database {
  mkdirSync(opts.dataDir, { recursive: true });
  const path = join(opts.dataDir, opts.fileName ?? DEFAULT_DB_FILE);
  const sqlite = new BetterSqlite3(path);
  try {
    // Takes effect only when the file is new: 16 KiB pages append rows ~10% faster than 4 KiB.
    sqlite.pragma('page_size = 16384');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Another connection (a CLI run next to the server) waits for the write lock instead of failing.
    sqlite.pragma('busy_timeout = 5000');
    if (opts.cacheKiB !== undefined)
      sqlite.pragma(`cache_size = -${Math.max(64, Math.floor(opts.cacheKiB))}`);
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    let closed = false;
    return {
      db,
      sqlite,
      path,
      close() {
        if (closed) return;
        closed = true;
        // Folds the WAL back into the main file so a copied data folder is one self-contained file.
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          sqlite.close();
        }
      },
    };
  } catch (e) {
    sqlite.close();
    throw e;
  }
}
