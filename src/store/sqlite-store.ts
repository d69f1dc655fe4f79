import { CompiledQuery, Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { RetractError } from '../errors/index.js';
import type { DeliveryWriter, DeliveryWriterOptions } from './delivery-writer.js';
import { MIGRATIONS } from './migrations/index.js';
import { openDatabaseFile } from './sqlite-file.js';
import type { Database } from './schema.js';
import { SqliteDeliveryWriter } from './sqlite-delivery-writer.js';
import { sqliteSubjectSearch } from './sqlite-subject-search.js';
import { SqliteThreadedWriter } from './sqlite-threaded-writer.js';
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

  const now = options.now ?? Date.now;
  return {
    db,
    kind: 'sqlite',
    location: options.path,
    subjectSearch: sqliteSubjectSearch,
    openDeliveryWriter: (tenantId, writerOptions = {}) =>
      openDeliveryWriter(options.path, tenantId, { now, ...writerOptions }),
    explain: async (query) => {
      const plan = CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]);
      const { rows } = await db.executeQuery<{ detail: string }>(plan);
      return rows.map((r) => r.detail);
    },
    close: () => db.destroy(),
  };
}

/** Page cache of the writer's connection: the recent part of every index stays in memory. */
const WRITER_CACHE_KIB = 256 * 1024;

/**
 * A bulk writer on a connection of its own, so its long transactions never
 * interleave with Kysely's on the shared one (WAL lets readers carry on),
 * and by default on a thread of its own.
 */
function openDeliveryWriter(
  path: string,
  tenantId: string,
  options: DeliveryWriterOptions & { now: () => number },
): DeliveryWriter {
  if (options.threaded !== false) {
    return new SqliteThreadedWriter({ path, tenantId, cacheKiB: WRITER_CACHE_KIB }, options.now);
  }
  const sqlite = openDatabaseFile(path);
  sqlite.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const writer = new SqliteDeliveryWriter(sqlite, tenantId, options.now);
  return {
    write: async (rows) => writer.write(rows),
    close: async () => {
      sqlite.close();
    },
  };
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
