import type SQLite from 'better-sqlite3';
import { mergeDelivery, type MergedColumns } from './delivery-merge.js';
import {
  PACKED_COLUMNS,
  packedField,
  packRow,
  unpackRow,
  type PackedRow,
} from './delivery-row-pack.js';
import {
  INGESTED_QUEUE_ID_PREFIX,
  type DeliveryWriteCounts,
  type DeliveryWriteRow,
} from './delivery-writer.js';
import { PendingKeys } from './sqlite-pending-keys.js';
import { SubjectIds } from './sqlite-subject-ids.js';
import { PENDING_LOOKBACK_MS, TIME_BUCKET_MS, timeBucketOf } from './time-buckets.js';

/** The columns a merge may change: all but the key. */
const MERGED = PACKED_COLUMNS.slice(2) as readonly (keyof MergedColumns)[];
const PENDING = `status IN ('deferred', 'filtered')`;
const LATER_BUCKETS = Math.ceil(PENDING_LOOKBACK_MS / TIME_BUCKET_MS);
const placeholders = (n: number) => Array(n).fill('?').join(', ');

const INSERT = `INSERT INTO deliveries
  (tenant_id, time_bucket, subject_id, imported_at, ${PACKED_COLUMNS.join(', ')})
  VALUES (${placeholders(4 + PACKED_COLUMNS.length)})
  ON CONFLICT (time_bucket, queue_id, recipient, tenant_id) DO NOTHING`;

const STORED = `SELECT id, time_bucket, ${MERGED.join(', ')} FROM deliveries`;
const SELECT_PENDING = `${STORED} WHERE tenant_id = ? AND queue_id = ? AND recipient = ?
  AND ${PENDING} AND time_ms >= ?`;
const SELECT_SAME_DAY = `${STORED}
  WHERE tenant_id = ? AND time_bucket = ? AND queue_id = ? AND recipient = ?`;
// No ORDER BY in these two: it would tempt the planner into walking deliveries_time.
const SELECT_LATER_DAYS = `${STORED} WHERE tenant_id = ?
  AND time_bucket IN (${placeholders(LATER_BUCKETS)}) AND queue_id = ? AND recipient = ?`;

// Ingested deliveries (queue id `ext:<sourceId>`): a gateway may report the
// same delivery again with a time moved to another day.
const NEAR_BUCKETS = 2 * LATER_BUCKETS + 1;
const SELECT_NEAR_DAYS = `${STORED} WHERE tenant_id = ?
  AND time_bucket IN (${placeholders(NEAR_BUCKETS)}) AND queue_id = ? AND recipient = ?`;

const UPDATE = `UPDATE deliveries SET time_bucket = ?, subject_id = ?, imported_at = ?,
  ${MERGED.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

/** Gives the rows of one batch; called once, inside the transaction. */
export type ReadBatch = () => readonly PackedRow[];

type StoredRow = MergedColumns & { id: number; time_bucket: number };
type Outcome = keyof DeliveryWriteCounts;

function isPending(status: string): boolean {
  return status === 'deferred' || status === 'filtered';
}

function latestOf(rows: StoredRow[]): StoredRow | undefined {
  let latest: StoredRow | undefined;
  for (const row of rows) if (latest === undefined || row.time_ms > latest.time_ms) latest = row;
  return latest;
}

/**
 * The SQLite side of the bulk writer: prepared statements, one transaction
 * per call, on a connection of its own. The common case, a new delivery,
 * is one insert (pending rows are known in memory: sqlite-pending-keys.ts).
 * Otherwise the
 * stored row is read, merged in JavaScript (delivery-merge.ts) and rewritten
 * only if it changed. That row is the same day's, a pending one from up to
 * 10 days before (a deferral, then the delivery), or, for a pending record
 * read after the outcome (an old log imported late), one up to 10 days after.
 * A delivery a gateway reported (queue id `ext:…`) is looked for up to 10
 * days either side, as the gateway may send it again with another time.
 * Synchronous, like better-sqlite3: the writer thread runs it.
 */
export class SqliteDeliveryWriter {
  readonly #tenantId: string;
  readonly #now: () => number;
  readonly #sql: Record<
    'insert' | 'pending' | 'sameDay' | 'laterDays' | 'nearDays' | 'update',
    SQLite.Statement
  >;
  readonly #subjects: SubjectIds;
  readonly #pendingKeys: PendingKeys;
  readonly #writeAll: (batches: readonly ReadBatch[]) => DeliveryWriteCounts[];

  constructor(db: SQLite.Database, tenantId: string, now: () => number = Date.now) {
    this.#tenantId = tenantId;
    this.#now = now;
    this.#sql = {
      insert: db.prepare(INSERT),
      pending: db.prepare(SELECT_PENDING),
      sameDay: db.prepare(SELECT_SAME_DAY),
      laterDays: db.prepare(SELECT_LATER_DAYS),
      nearDays: db.prepare(SELECT_NEAR_DAYS),
      update: db.prepare(UPDATE),
    };
    this.#subjects = new SubjectIds(db, tenantId);
    this.#pendingKeys = new PendingKeys(db, tenantId);
    const write = db.transaction((batches: readonly ReadBatch[]) =>
      batches.map((read) => this.#writeRows(read())),
    );
    // IMMEDIATE: take the write lock first, so a reader turned writer never deadlocks.
    this.#writeAll = (batches) => write.immediate(batches);
  }

  /** Upserts `rows` in one transaction, in order (a later row for the same key merges in). */
  write(rows: readonly DeliveryWriteRow[]): DeliveryWriteCounts {
    return this.writePacked(rows.map(packRow));
  }

  /** `write` for rows packed by `packRow`, as they come from another thread. */
  writePacked(rows: readonly PackedRow[]): DeliveryWriteCounts {
    if (rows.length === 0) return { added: 0, updated: 0, unchanged: 0 };
    return this.writePackedBatches([() => rows])[0] as DeliveryWriteCounts;
  }

  /**
   * Writes several batches, in order, in one transaction, and says what each
   * changed: a commit costs about as much for one batch as for five, since
   * it writes every page the batches touched once. All or none are written.
   * Each batch is read when its turn comes, so one at a time is held unpacked.
   */
  writePackedBatches(batches: readonly ReadBatch[]): DeliveryWriteCounts[] {
    try {
      return this.#writeAll(batches);
    } catch (err) {
      this.#subjects.clear();
      this.#pendingKeys.reload();
      throw err;
    }
  }

  #writeRows(rows: readonly PackedRow[]): DeliveryWriteCounts {
    const counts = { added: 0, updated: 0, unchanged: 0 };
    const importedAt = this.#now();
    this.#pendingKeys.refresh();
    for (const row of rows) counts[this.#writeRow(row, importedAt)]++;
    this.#subjects.indexNewSubjects();
    return counts;
  }

  #writeRow(row: PackedRow, importedAt: number): Outcome {
    const tenant = this.#tenantId;
    const queueId = packedField.queueId(row);
    const recipient = packedField.recipient(row);
    const timeMs = packedField.timeMs(row);
    const bucket = timeBucketOf(timeMs);
    if (queueId.startsWith(INGESTED_QUEUE_ID_PREFIX)) {
      const near = latestOf(
        this.#sql.nearDays.all(tenant, ...nearBuckets(bucket), queueId, recipient) as StoredRow[],
      );
      if (near !== undefined) return this.#merge(near, row, importedAt);
    } else if (isPending(packedField.status(row))) {
      const later = latestOf(
        this.#sql.laterDays.all(tenant, ...laterBuckets(bucket), queueId, recipient) as StoredRow[],
      );
      if (later !== undefined) return this.#merge(later, row, importedAt);
    }

    if (this.#pendingKeys.mayHave(queueId, recipient)) {
      const since = timeMs - PENDING_LOOKBACK_MS;
      const pending = this.#sql.pending.get(tenant, queueId, recipient, since);
      if (pending !== undefined) return this.#merge(pending as StoredRow, row, importedAt);
    }

    const subject = packedField.subject(row);
    const subjectId = subject === null ? null : this.#subjects.idOf(subject);
    if (this.#sql.insert.run(tenant, bucket, subjectId, importedAt, row).changes === 1) {
      if (isPending(packedField.status(row))) this.#pendingKeys.add(queueId, recipient);
      return 'added';
    }

    const stored = this.#sql.sameDay.get(tenant, bucket, queueId, recipient) as
      StoredRow | undefined;
    return stored === undefined ? 'unchanged' : this.#merge(stored, row, importedAt);
  }

  #merge(stored: StoredRow, row: PackedRow, importedAt: number): Outcome {
    const merged = mergeDelivery(stored, unpackRow(row));
    if (merged === null) return 'unchanged';

    const subjectId = merged.subject === null ? null : this.#subjects.idOf(merged.subject);
    const values = MERGED.map((c) => merged[c]);
    const bucket = timeBucketOf(merged.time_ms);
    this.#sql.update.run(bucket, subjectId, importedAt, values, stored.id);
    return 'updated';
  }
}

function nearBuckets(bucket: number): number[] {
  return Array.from({ length: NEAR_BUCKETS }, (_, i) => bucket - LATER_BUCKETS + i);
}

function laterBuckets(bucket: number): number[] {
  return Array.from({ length: LATER_BUCKETS }, (_, i) => bucket + 1 + i);
}
