import { createQueueEntry, type QueueEntry } from './queue-entry.js';

/**
 * Open queue entries by queue id, capped so memory stays flat on a huge log:
 * past the cap the oldest entry goes (a message whose `removed` line was never
 * logged, or fell before the file's start), and the eviction is counted.
 */
export class QueueTable {
  readonly #entries = new Map<string, QueueEntry>();
  readonly #maxOpen: number;
  #evicted = 0;

  constructor(maxOpen: number) {
    this.#maxOpen = maxOpen;
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
    if (this.#entries.size > this.#maxOpen) this.#evictOldest();
    return entry;
  }

  close(queueId: string): void {
    this.#entries.delete(queueId);
  }

  #evictOldest(): void {
    for (const queueId of this.#entries.keys()) {
      this.#entries.delete(queueId);
      this.#evicted++;
      return;
    }
  }
}
