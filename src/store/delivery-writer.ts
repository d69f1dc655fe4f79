import type { DeliveryTable } from './schema.js';

/**
 * One delivery as a writer stores it: the columns of `deliveries` the caller
 * knows (the writer adds tenant, day, subject id and import time). Every field
 * is present, null when unknown, so rows bind in one fixed order.
 */
export type DeliveryWriteRow = Omit<
  DeliveryTable,
  'id' | 'tenant_id' | 'time_bucket' | 'subject_id' | 'imported_at'
>;

/**
 * Queue ids of deliveries another gateway reported start with this: no MTA
 * queue id does, so the two never merge, and a writer knows which are which.
 */
export const INGESTED_QUEUE_ID_PREFIX = 'ext:';

/** What one write did to the table. */
export interface DeliveryWriteCounts {
  /** Rows that were new. */
  added: number;
  /** Rows that existed and changed: a later status, a longer queue id chain, a field filled in. */
  updated: number;
  /** Rows that existed and already said all the record said (a re-import). */
  unchanged: number;
}

/**
 * Bulk upsert of deliveries for one tenant, keyed by (queue id, recipient).
 * The merge rule is `mergeDelivery` (delivery-merge.ts) for every back end.
 * Each `write` is one transaction. Calls must not overlap: await each one.
 */
export interface DeliveryWriter {
  write(rows: readonly DeliveryWriteRow[]): Promise<DeliveryWriteCounts>;
  close(): Promise<void>;
}

export interface DeliveryWriterOptions {
  /**
   * Run the SQL on a thread of its own (default true): for long imports,
   * which then parse and write at once. A few records (an API call) are
   * written quicker without starting a thread.
   */
  threaded?: boolean;
  /** Clock for `imported_at`. Default: the store's. */
  now?: () => number;
}

export function addCounts(total: DeliveryWriteCounts, more: DeliveryWriteCounts): void {
  total.added += more.added;
  total.updated += more.updated;
  total.unchanged += more.unchanged;
}
