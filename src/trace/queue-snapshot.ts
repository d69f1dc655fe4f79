import type { DeliveryFact, QueueEntry } from './queue-entry.js';
import type { QueueTable } from './queue-table.js';

/** One queue entry, its parent by index into `QueueSnapshot.entries`. */
interface EntryRecord extends Omit<QueueEntry, 'parent' | 'deferred' | 'delivered'> {
  parent: number | null;
  deferred: [string, DeliveryFact][] | null;
  delivered: [string, DeliveryFact][] | null;
}

/**
 * What a parser holds open between lines, as JSON: every queue entry an open
 * or recently closed one can reach through its parents (a content filter's
 * first hop is closed long before the re-queued copy is delivered, yet its
 * Message-ID, client and subject are still needed).
 */
export interface QueueSnapshot {
  version: 1;
  entries: EntryRecord[];
  open: number[];
  recent: number[];
}

function toRecord(entry: QueueEntry, indexOf: Map<QueueEntry, number>): EntryRecord {
  const { parent, deferred, delivered, ...fields } = entry;
  return {
    ...fields,
    parent: parent === null ? null : (indexOf.get(parent) as number),
    deferred: deferred === null ? null : [...deferred],
    delivered: delivered === null ? null : [...delivered],
  };
}

/** Numbers every entry reachable from `roots`, parents before children. */
function collectReachable(roots: readonly QueueEntry[]): Map<QueueEntry, number> {
  const indexOf = new Map<QueueEntry, number>();
  const visit = (entry: QueueEntry): void => {
    if (indexOf.has(entry)) return;
    if (entry.parent !== null) visit(entry.parent);
    indexOf.set(entry, indexOf.size);
  };
  for (const root of roots) visit(root);
  return indexOf;
}

export function snapshotQueues(table: QueueTable): QueueSnapshot {
  const { open, recent } = table.listEntries();
  const indexOf = collectReachable([...open, ...recent]);
  return {
    version: 1,
    entries: [...indexOf.keys()].map((entry) => toRecord(entry, indexOf)),
    open: open.map((entry) => indexOf.get(entry) as number),
    recent: recent.map((entry) => indexOf.get(entry) as number),
  };
}

/** Fills an empty table with the entries of `snapshot`. */
export function restoreQueues(table: QueueTable, snapshot: QueueSnapshot): void {
  const entries: QueueEntry[] = [];
  for (const record of snapshot.entries) {
    // Parents come first (collectReachable), so the index is already filled.
    const parent = record.parent === null ? null : (entries[record.parent] ?? null);
    entries.push({
      ...record,
      parent,
      deferred: record.deferred === null ? null : new Map(record.deferred),
      delivered: record.delivered === null ? null : new Map(record.delivered),
    });
  }
  const pick = (indexes: number[]) => indexes.flatMap((i) => entries[i] ?? []);
  table.restoreEntries(pick(snapshot.open), pick(snapshot.recent));
}
