import type { DeliveryWriteRow } from './delivery-writer.js';

/** The stored columns a merge reads and may change. */
export type MergedColumns = Omit<DeliveryWriteRow, 'queue_id' | 'recipient'>;

/** A deferral is overtaken by anything; a hand-off to a filter by a final outcome. */
const STATUS_RANK: Readonly<Record<string, number>> = { deferred: 0, filtered: 1 };

function rankOf(status: string): number {
  return STATUS_RANK[status] ?? FINAL;
}

const FINAL = 2;

/**
 * Whether `incoming` is a later word on the delivery than `stored`. A final
 * outcome (delivered, bounced, expired) is never undone by a deferral or a
 * hand-off, whatever its time: an MTA does not defer a recipient it has
 * delivered to, so such a record is a replay or a gateway's stale report.
 */
function isLater(stored: MergedColumns, incoming: MergedColumns): boolean {
  if (rankOf(stored.status) === FINAL && rankOf(incoming.status) < FINAL) return false;
  if (incoming.time_ms !== stored.time_ms) return incoming.time_ms > stored.time_ms;
  return rankOf(incoming.status) > rankOf(stored.status);
}

function chainLength(queueIds: string): number {
  try {
    const parsed: unknown = JSON.parse(queueIds);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

/** A loopback client: a content filter's re-injection, never where mail came from. */
function isLoopbackClient(address: string | null): boolean {
  return address !== null && (address.startsWith('127.') || address === '::1');
}

/**
 * Whether `incoming` knows better where the message came from: a longer
 * queue id chain reaches further back, and along a chain of the same length
 * a real client beats a loopback one, which a record gets when the first
 * hop's `client=` line was in a file read after it.
 */
function bringsOrigin(stored: MergedColumns, incoming: MergedColumns): boolean {
  const byLength = chainLength(incoming.queue_ids) - chainLength(stored.queue_ids);
  if (byLength !== 0) return byLength > 0;
  return (
    isLoopbackClient(stored.client_address) &&
    incoming.client_address !== null &&
    !isLoopbackClient(incoming.client_address)
  );
}

const OUTCOME = ['time_ms', 'status', 'dsn', 'relay', 'detail', 'source'] as const;
const CHAIN = ['queue_ids', 'client_address', 'client_host'] as const;
/**
 * Facts that travel together: a decoded value and the raw one it came from
 * (the raw one is null when it equals the decoded), or a lone column.
 */
const FACTS: readonly (readonly (keyof MergedColumns)[])[] = [
  ['message_id', 'message_id_raw'],
  ['subject', 'subject_raw'],
  ['original_recipient'],
  ['size_bytes'],
  ['header_from'],
];

function isUnknown(row: MergedColumns, group: readonly (keyof MergedColumns)[]): boolean {
  return group.every((key) => row[key] === null);
}

/**
 * What `stored` becomes once `incoming` (same tenant, queue id, recipient) is
 * taken in, or null when nothing changes. The later record (by time, then
 * deferred < filtered < final at the same second) sets the outcome; the
 * longer queue id chain brings its first client; a known fact (Message-ID,
 * subject, size...) is never replaced by an unknown one, and an earlier
 * record only fills gaps. So importing a log twice, or an old log after a
 * newer one, changes nothing.
 */
export function mergeDelivery(
  stored: MergedColumns,
  incoming: MergedColumns,
): MergedColumns | null {
  const merged: MergedColumns = { ...stored };
  const later = isLater(stored, incoming);
  if (later) for (const key of OUTCOME) setColumn(merged, key, incoming[key]);
  if (bringsOrigin(stored, incoming)) {
    for (const key of CHAIN) setColumn(merged, key, incoming[key]);
  }

  for (const group of FACTS) {
    if (isUnknown(incoming, group) || !(later || isUnknown(merged, group))) continue;
    for (const key of group) setColumn(merged, key, incoming[key]);
  }
  for (const key of CHAIN) if (merged[key] === null) setColumn(merged, key, incoming[key]);
  if (incoming.sender !== '' && (later || merged.sender === '')) merged.sender = incoming.sender;

  return isSame(stored, merged) ? null : merged;
}

function setColumn<K extends keyof MergedColumns>(
  row: MergedColumns,
  key: K,
  value: MergedColumns[K],
): void {
  row[key] = value;
}

function isSame(a: MergedColumns, b: MergedColumns): boolean {
  for (const key of Object.keys(a) as (keyof MergedColumns)[]) if (a[key] !== b[key]) return false;
  return true;
}
