import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

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
  close(): Promise<void>;
}
