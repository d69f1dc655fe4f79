import { parentPort, workerData } from 'node:worker_threads';
import type { PackedRow } from './delivery-row-pack.js';
import { SqliteDeliveryWriter } from './sqlite-delivery-writer.js';
import { openDatabaseFile } from './sqlite-file.js';

const WAL_CHECKPOINT_PAGES = 100_000;

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

  port.on('message', (request: WriteRequest | 'close') => {
    if (request === 'close') {
      // Leave a short WAL behind, so the next reader's commit does not checkpoint it.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      port.close();
      return;
    }
    importedAt = request.importedAt;
    try {
      port.postMessage({
        id: request.id,
        counts: writer.writePacked(JSON.parse(request.rows) as PackedRow[]),
      } satisfies WriteReply);
    } catch (err) {
      const { message, code } = err as Error & { code?: string };
      port.postMessage({ id: request.id, error: { message, code } } satisfies WriteReply);
    }
  });
}

if (parentPort !== null) runWriterThread(parentPort, workerData as WriterThreadData);
