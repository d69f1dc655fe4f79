import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { RetractError } from '../errors/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';
import { DEFAULT_TENANT_ID, type Store } from './store.js';

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  path: string;
  now?: () => number;
}

const staticMigrations: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/**
 * Opens (creating if needed) the SQLite store, runs pending migrations and
 * makes sure the default tenant exists.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const sqlite = openDatabaseFile(options.path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });

  try {
    await migrate(db);
    await ensureDefaultTenant(db, (options.now ?? Date.now)());
  } catch (err) {
    await db.destroy();
    throw err;
  }

  return {
    db,
    kind: 'sqlite',
    location: options.path,
    close: () => db.destroy(),
  };
}

function openDatabaseFile(path: string): SQLite.Database {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const sqlite = new SQLite(path);
    // The file holds sealed keys and who received what: owner only. SQLite
    // gives its -wal and -shm files the same mode.
    chmodSync(path, 0o600);
    // WAL lets the CLI read while a long retraction writes; NORMAL sync is
    // durable across a process crash, which is the failure we design for.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return sqlite;
  } catch (err) {
    throw new RetractError('STORE_OPEN_FAILED', `cannot open the database at ${path}`, {
      failureClass: 'config',
      cause: err,
      context: { path },
    });
  }
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: staticMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;

  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  throw new RetractError('STORE_MIGRATION_FAILED', `database migration ${failed} failed`, {
    failureClass: 'internal',
    cause: error,
    context: { migration: failed },
  });
}

async function ensureDefaultTenant(db: Kysely<Database>, nowMs: number): Promise<void> {
  await db
    .insertInto('tenants')
    .values({ id: DEFAULT_TENANT_ID, name: 'Default', plan: 'enterprise', created_at: nowMs })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
