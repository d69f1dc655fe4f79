import { createQueueEntry, type QueueEntry } from './queue-entry.js';

const RECENT_CLOSED_CAP = 1000;

/**
 * Open queue entries by queue id, capped so memory stays flat on a huge log:
 * past the cap the oldest 1% goes (a message whose `removed` line was never
 * logged, or fell before the file's start), and the eviction is counted.
 */
export class QueueTable {
  readonly #entries = new Map<string, QueueEntry>();
  /** Closed entries a late `queued as` may still link to; see {@link QueueTable.openForLink}. */
  readonly #recent = new Map<string, QueueEntry>();
  readonly #maxOpen: number;
  readonly #evictionBatch: number;
  #evicted = 0;

  constructor(maxOpen: number) {
    this.#maxOpen = maxOpen;
    this.#evictionBatch = Math.max(1, Math.floor(maxOpen / 100));
  }

  get evicted(): number {
    return this.#evicted;
  }

  get size(): number {
    return this.#entries.size;
  }

  find(queueId: string): QueueEntry | undefined {
    return this.#entries.get(queueId);
  }

  open(queueId: string): QueueEntry {
    const found = this.#entries.get(queueId);
    if (found !== undefined) return found;

    const entry = createQueueEntry(queueId);
    this.#entries.set(queueId, entry);
    if (this.#entries.size > this.#maxOpen) this.#evictOldest(this.#evictionBatch);
    return entry;
  }

  /**
   * Closes `queueId`. An entry still waiting for its parent (it delivered
   * before the filter hop logged `queued as` it) is kept a little longer,
   * because the re-queued copy can be delivered and removed before that line.
   */
  close(queueId: string): void {
    const entry = this.#entries.get(queueId);
    if (entry === undefined) return;
    this.#entries.delete(queueId);
    if (entry.delivered === null || entry.parent !== null) return;

    this.#recent.set(queueId, entry);
    if (this.#recent.size > RECENT_CLOSED_CAP) this.#dropFirst(this.#recent);
  }

  /** The entry a filter hop hands a message to: open, recently closed, or new. */
  openForLink(queueId: string): QueueEntry {
    const recent = this.#recent.get(queueId);
    if (recent === undefined || this.#entries.has(queueId)) return this.open(queueId);
    this.#recent.delete(queueId);
    return recent;
  }

  /** The open entries (oldest first) and the recently closed ones, for a snapshot. */
  listEntries(): { open: QueueEntry[]; recent: QueueEntry[] } {
    return { open: [...this.#entries.values()], recent: [...this.#recent.values()] };
  }

  /** Puts back what `listEntries` gave, in the same order; the table must be empty. */
  restoreEntries(open: readonly QueueEntry[], recent: readonly QueueEntry[]): void {
    for (const entry of open) this.#entries.set(entry.queueId, entry);
    for (const entry of recent) this.#recent.set(entry.queueId, entry);
  }

  /**
   * Evicts in batches: a Map keeps deleted slots at its front until it
   * rehashes, and every `keys()` walk skips them again, so evicting one entry
   * per insert costs time in proportion to the evictions so far.
   */
  #evictOldest(count: number): void {
    let left = count;
    for (const queueId of this.#entries.keys()) {
      if (left-- === 0) break;
      this.#entries.delete(queueId);
      this.#evicted++;
    }
  }

  #dropFirst(map: Map<string, QueueEntry>): void {
    for (const queueId of map.keys()) {
      map.delete(queueId);
      return;
    }
  }
}
