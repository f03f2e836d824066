/**
 * @module
 * Opens the FlinkNet SQLite database: pragmas for durability and
 * concurrency, then the committed migrations.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StoreError } from './errors';
import { SqliteJobRepository } from './SqliteJobRepository';
import * as schema from './schema';
import type { JobRepository } from './types';

export interface OpenStoreOptions {
  /** Path of the SQLite file (its directory is created), or `':memory:'`. */
  file: string;
  /** Folder of the drizzle migrations; default: `drizzle/` of this package. Set it when the store is bundled. */
  migrationsFolder?: string | undefined;
  /** Clock of every stored time; tests pass a fake one. Default `() => new Date()`. */
  now?: (() => Date) | undefined;
}

/** The connection settings openStore applies, as SQLite reports them. */
export interface StorePragmas {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

/** An open repository; `file` is the path it was opened with. */
export interface Store extends JobRepository {
  readonly file: string;
  /** Reads the connection's pragmas back (diagnostics, readiness checks). */
  pragmas(): StorePragmas;
}

/** `drizzle/` one level above this file: the package root from both `src/` (dev) and `dist/` (built). */
/**
 * The package's `drizzle/`: next to `src/` or `dist/`, or, when the store is
 * bundled into an app, found through the installed package.
 */
function defaultMigrationsFolder(): string {
  const beside = fileURLToPath(new URL('../drizzle', import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    const manifest = createRequire(import.meta.url).resolve('@flinknet/store/package.json');
    return join(dirname(manifest), 'drizzle');
  } catch {
    return beside;
  }
}

/**
 * Opens (creating if needed) the database at `file` and migrates it to the
 * current schema. WAL with `synchronous = NORMAL` keeps every committed write
 * across a process crash (`kill -9`) without an fsync per transaction.
 *
 * @param options.file path of the SQLite file, or `':memory:'`
 * @param options.migrationsFolder where the migrations are (default: the package's `drizzle/`)
 * @example
 * ```ts
 * const store = openStore({ file: '.flinknet/flinknet.db' });
 * const job = store.getJob(jobId);
 * store.close();
 * ```
 */
export function openStore(options: OpenStoreOptions): Store {
  const { file } = options;
  if (typeof file !== 'string' || file === '')
    throw new StoreError('openStore needs a file path or ":memory:"', 'INVALID_INPUT');
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (!existsSync(join(migrationsFolder, 'meta', '_journal.json'))) {
    throw new StoreError(
      `no drizzle migrations in ${migrationsFolder}; pass openStore({ migrationsFolder }) when the store is bundled`,
      'MIGRATIONS_NOT_FOUND',
    );
  }
  const inMemory = file === ':memory:';
  let sqlite: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    sqlite = new Database(file);
  } catch (error) {
    throw new StoreError(
      `cannot open SQLite database ${file}: ${(error as Error).message}`,
      'OPEN_FAILED',
      { cause: error },
    );
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder });
    const repository = new SqliteJobRepository(db, sqlite, options.now);
    const pragmas = (): StorePragmas => ({
      journalMode: String(sqlite.pragma('journal_mode', { simple: true })),
      synchronous: Number(sqlite.pragma('synchronous', { simple: true })),
      foreignKeys: Number(sqlite.pragma('foreign_keys', { simple: true })) === 1,
      busyTimeoutMs: Number(sqlite.pragma('busy_timeout', { simple: true })),
    });
    return Object.assign(repository, { file, pragmas });
  } catch (error) {
    sqlite.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      `cannot prepare SQLite database ${file}: ${(error as Error).message}`,
      'OPEN_FAILED',
      { cause: error },
    );
  }
}
