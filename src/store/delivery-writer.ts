/**
 * One delivery as a writer stores it: the columns of `deliveries` the caller
 * knows (the writer adds tenant, subject id and import time). Every field is
 * present, null when unknown, so rows bind in one fixed order.
 */
export interface DeliveryWriteRow {
  time_ms: number;
  message_id: string | null;
  message_id_raw: string | null;
  queue_id: string;
  /** JSON array of queue ids, first hop first. */
  queue_ids: string;
  /** Lower-cased; '' for the null sender or when unknown. */
  sender: string;
  /** Lower-cased. */
  recipient: string;
  original_recipient: string | null;
  size_bytes: number | null;
  client_address: string | null;
  client_host: string | null;
  subject: string | null;
  subject_raw: string | null;
  header_from: string | null;
  status: string;
  dsn: string | null;
  relay: string | null;
  detail: string | null;
  source: string;
}

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
