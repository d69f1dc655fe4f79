/**
 * The store layer: schema, migrations and the back ends. Services receive a
 * `Store` and query `store.db` with Kysely.
 */
export { openSqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { DEFAULT_TENANT_ID } from './store.js';
export type { Store } from './store.js';
export type * from './schema.js';
export type {
  DeliveryWriteCounts,
  DeliveryWriter,
  DeliveryWriterOptions,
  DeliveryWriteRow,
} from './delivery-writer.js';
export { addCounts, INGESTED_QUEUE_ID_PREFIX } from './delivery-writer.js';
export type { SubjectSearch } from './subject-search.js';
export { PENDING_LOOKBACK_MS, TIME_BUCKET_MS, timeBucketsBetween } from './time-buckets.js';
