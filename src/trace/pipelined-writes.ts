import { RetractError } from '../errors/index.js';
import { addCounts, type DeliveryWriteCounts } from '../store/index.js';
import type { DeliveryBatchWriter } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';

/**
 * Batches handed to the writer before the reader waits. While the writer
 * thread works on one transaction the next batches queue up behind it, so
 * it never idles between them and can commit several in one go
 * (store/sqlite-writer-thread.ts); past this many the reader waits, which
 * bounds memory to a few batches however large the file.
 */
const MAX_IN_FLIGHT = 8;

/**
 * Hands batches to a DeliveryBatchWriter while the caller goes on reading
 * and parsing, and adds up what each batch changed. A failed batch is
 * reported by the next `send` or by `drain`.
 */
export class PipelinedWrites {
  readonly #writer: DeliveryBatchWriter;
  readonly counts: DeliveryWriteCounts = { added: 0, updated: 0, unchanged: 0 };
  readonly #inFlight: Promise<void>[] = [];

  constructor(writer: DeliveryBatchWriter) {
    this.#writer = writer;
  }

  async send(records: DeliveryRecord[], source: string): Promise<void> {
    if (records.length === 0) return;
    // Hand the batch over first, then wait: the writer has it queued while this waits.
    const written = this.#writer.write(records, source).then((c) => addCounts(this.counts, c));
    // Surfaced by a later send or by drain; without this Node reports it unhandled first.
    written.catch(() => {});
    this.#inFlight.push(written);
    while (this.#inFlight.length >= MAX_IN_FLIGHT) await this.#inFlight.shift();
  }

  async drain(): Promise<void> {
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
  }

  /**
   * The error to raise for a file that became unreadable partway (damaged
   * gzip, a read error): what was read before it is written first, and the
   * message says so, since an import that stops with no word of what it
   * stored leaves the analyst guessing. Other errors pass through as they are.
   */
  async stoppedBy(error: unknown): Promise<unknown> {
    if (!(error instanceof RetractError) || error.code !== 'TRACE_LOG_UNREADABLE') return error;
    try {
      await this.drain();
    } catch (writeError) {
      return writeError;
    }
    const stored = this.counts.added + this.counts.updated + this.counts.unchanged;
    const message =
      `${error.message}; the ${stored} deliveries read before it are stored, ` +
      'and importing the same files again counts them as duplicates';
    return new RetractError(error.code, message, {
      failureClass: error.failureClass,
      cause: error,
      context: { ...error.context, ...this.counts },
    });
  }
}
