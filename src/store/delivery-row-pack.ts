import type { DeliveryWriteRow } from './delivery-writer.js';

/**
 * The columns of a delivery row in the order the SQLite writer binds them.
 * Rows cross to the writer thread as arrays in this order: cloning an array
 * of values costs a fraction of cloning an object with named keys.
 */
export const PACKED_COLUMNS = [
  'queue_id',
  'recipient',
  'time_ms',
  'message_id',
  'message_id_raw',
  'queue_ids',
  'sender',
  'header_from',
  'original_recipient',
  'size_bytes',
  'client_address',
  'client_host',
  'subject',
  'subject_raw',
  'status',
  'dsn',
  'relay',
  'detail',
  'source',
] as const satisfies readonly (keyof DeliveryWriteRow)[];

export type PackedRow = unknown[];

const QUEUE_ID = 0;
const RECIPIENT = 1;
const TIME_MS = 2;
const SUBJECT = 12;
const STATUS = 14;

export function packRow(row: DeliveryWriteRow): PackedRow {
  return PACKED_COLUMNS.map((column) => row[column]);
}

export function unpackRow(packed: PackedRow): DeliveryWriteRow {
  const row: Record<string, unknown> = {};
  PACKED_COLUMNS.forEach((column, i) => (row[column] = packed[i]));
  return row as unknown as DeliveryWriteRow;
}

/** Reads the few fields the writer branches on without unpacking the row. */
export const packedField = {
  queueId: (p: PackedRow) => p[QUEUE_ID] as string,
  recipient: (p: PackedRow) => p[RECIPIENT] as string,
  timeMs: (p: PackedRow) => p[TIME_MS] as number,
  subject: (p: PackedRow) => p[SUBJECT] as string | null,
  status: (p: PackedRow) => p[STATUS] as string,
};
