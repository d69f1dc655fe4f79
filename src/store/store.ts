import type { CompiledQuery, Kysely } from 'kysely';
import type { DeliveryWriter, DeliveryWriterOptions } from './delivery-writer.js';
import type { Database } from './schema.js';
import type { SubjectSearch } from './subject-search.js';

/** The id of the tenant every row belongs to until tenants can be created. */
export const DEFAULT_TENANT_ID = 'default';

/**
 * An open store: a Kysely instance over one of the back ends. Services use
 * `db` with dialect-neutral queries and never learn which back end runs.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: 'sqlite';
  /** Where the data lives, for messages to the operator (a file path). */
  readonly location: string;
  /** Subject word and substring conditions for trace search, in this back end's SQL. */
  readonly subjectSearch: SubjectSearch;
  /** A bulk writer of one tenant's deliveries; close it when the import is done. */
  openDeliveryWriter(tenantId: string, options?: DeliveryWriterOptions): DeliveryWriter;
  /** How the back end would run `query`, one step a line (SQLite: EXPLAIN QUERY PLAN). */
  explain(query: CompiledQuery): Promise<string[]>;
  close(): Promise<void>;
}
