/**
 * @module
 * The connection types shared by the repository modules.
 */
import type { Database, RunResult } from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from '../schema';

export type Schema = typeof schema;

/** The drizzle database over one better-sqlite3 connection. */
export type StoreDb = BetterSQLite3Database<Schema>;

/** Either the database or a transaction on it: what a write helper runs on. */
export type Conn = BaseSQLiteDatabase<'sync', RunResult, Schema>;

/** What every repository module needs: the database, its raw connection (hot statements) and the clock. */
export interface RepoContext {
  db: StoreDb;
  sqlite: Database;
  now: () => Date;
}

/** Runs `fn` in one `BEGIN IMMEDIATE` transaction: writers queue on the lock instead of failing on upgrade. */
export function writeTx<T>(ctx: RepoContext, fn: (tx: Conn) => T): T {
  return ctx.db.transaction((tx) => fn(tx), { behavior: 'immediate' });
}
