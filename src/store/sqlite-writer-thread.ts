import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { PackedRow } from './delivery-row-pack.js';
import { SqliteDeliveryWriter } from './sqlite-delivery-writer.js';
import { openDatabaseFile } from './sqlite-file.js';

const WAL_CHECKPOINT_PAGES = 100_000;

/**
 * Rows at most in one transaction when batches have queued up. A commit
 * writes every page the transaction touched, and consecutive batches touch
 * mostly the same pages (today's part of each index), so committing ten
 * queued batches at once writes far less than ten commits would. Should a
 * transaction touch more pages than the writer's cache (cacheKiB) holds,
 * SQLite writes the excess to the WAL early: slower, never wrong.
 */
const MAX_ROWS_PER_TRANSACTION = 200_000;

/** What the thread is started with. */
export interface WriterThreadData {
  path: string;
  tenantId: string;
  cacheKiB: number;
}

/** A batch to write; `importedAt` comes from the caller's clock. */
export interface WriteRequest {
  id: number;
  /**
   * Rows packed by `packRow`, as one JSON text: V8 clones one long string
   * far quicker than thousands of small arrays, and JSON.parse rebuilds
   * them quicker than the structured-clone reader does.
   */
  rows: string;
  /** How many rows `rows` holds. */
  count: number;
  importedAt: number;
}

export type WriteReply =
  | { id: number; counts: { added: number; updated: number; unchanged: number } }
  | { id: number; error: { message: string; code: string | undefined } };

/**
 * The body of the writer thread: SQLite work runs here while the main thread
 * reads and parses the log. Batches arrive in order and are written in
 * order; the answer to each carries its counts or the error.
 */
function runWriterThread(port: NonNullable<typeof parentPort>, data: WriterThreadData): void {
  const db = openDatabaseFile(data.path);
  db.pragma(`cache_size = -${data.cacheKiB}`);
  // Checkpoint every ~400 MB of WAL rather than every 4 MB: a page that many
  // batches touch is copied into the database once, and fsync'd once.
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  let importedAt = 0;
  const writer = new SqliteDeliveryWriter(db, data.tenantId, () => importedAt);

  let closing = false;
  const close = () => {
    // Leave a short WAL behind, so the next reader's commit does not checkpoint it.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    port.close();
  };

  /** The batch's rows, stamped with the clock of the caller that sent it. */
  const reader = (request: WriteRequest) => () => {
    importedAt = request.importedAt;
    return JSON.parse(request.rows) as PackedRow[];
  };

  port.on('message', (first: WriteRequest | 'close') => {
    if (first === 'close') return close();
    // Batches that arrived while the last transaction ran go into this one.
    const requests = [first];
    let rows = first.count;
    while (rows < MAX_ROWS_PER_TRANSACTION) {
      const next = receiveMessageOnPort(port)?.message as WriteRequest | 'close' | undefined;
      if (next === undefined) break;
      if (next === 'close') {
        closing = true;
        break;
      }
      requests.push(next);
      rows += next.count;
    }
    try {
      const counts = writer.writePackedBatches(requests.map(reader));
      requests.forEach(({ id }, i) => port.postMessage({ id, counts: counts[i] } as WriteReply));
    } catch (err) {
      const { message, code } = err as Error & { code?: string };
      for (const { id } of requests) {
        port.postMessage({ id, error: { message, code } } satisfies WriteReply);
      }
    }
    if (closing) close();
  });
}

if (parentPort !== null) runWriterThread(parentPort, workerData as WriterThreadData);
