import type { DeliveryStore } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';
import { readIngestRecord } from './ingest-record.js';
import { PipelinedWrites } from './pipelined-writes.js';
import { assertLogsReadable, readLogBatches } from './read-log-lines.js';
import { toSampleLine } from './unparsed-sample.js';

export interface NdjsonImportOptions {
  /** Deliveries per batch handed to the writer. Default 20,000. */
  batchSize?: number;
  /** The clock a delivery time may not run more than a day ahead of. Default Date.now. */
  now?: () => number;
  /** Bad lines kept as a sample. Default 20. */
  unparsedSampleSize?: number;
}

/** What an NDJSON import read and wrote. */
export interface NdjsonImportReport {
  files: string[];
  lines: number;
  deliveries: number;
  added: number;
  updated: number;
  duplicates: number;
  /** Lines that were not JSON or not a delivery (see `ingestRecordSchema`). */
  unparsed: number;
  /** `file:line: field: problem`, for the first few, each cut to 500 characters. */
  unparsedSample: string[];
  seconds: number;
  linesPerSecond: number;
  deliveriesPerSecond: number;
}

/** The record on one line, or why there is none. */
function readLine(line: string, where: string, nowMs: number): DeliveryRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `${where}: not JSON`;
  }
  const read = readIngestRecord(value, 'record', nowMs);
  if ('record' in read) return read.record;
  return read.problems.map((p) => `${where}: ${p.field}: ${p.message}`).join('; ');
}

/**
 * Imports NDJSON files (one delivery object per line, plain or gzip), the
 * format other gateways export, through the same writer thread as an MTA
 * log. A bad line is counted and sampled, never fatal, like an unreadable
 * log line; blank lines are skipped. Idempotent on `sourceId`.
 */
export async function importNdjsonFiles(
  paths: readonly string[],
  deliveries: DeliveryStore,
  options: NdjsonImportOptions = {},
): Promise<NdjsonImportReport> {
  const startedMs = performance.now();
  const batchSize = options.batchSize ?? 20_000;
  const sampleSize = options.unparsedSampleSize ?? 20;
  const now = options.now ?? Date.now;
  const counts = { lines: 0, deliveries: 0, unparsed: 0 };
  const sample: string[] = [];
  await assertLogsReadable(paths);
  const writer = deliveries.openWriter();
  const writes = new PipelinedWrites(writer);

  try {
    for (const path of paths) {
      let batch: DeliveryRecord[] = [];
      let lineNumber = 0;
      const flush = async () => {
        const records = batch;
        batch = [];
        await writes.send(records, `ndjson:${path}`);
      };
      for await (const lines of readLogBatches(path)) {
        for (const line of lines) {
          counts.lines++;
          lineNumber++;
          if (line.trim() === '') continue;
          const read = readLine(line, `${path}:${lineNumber}`, now());
          if (typeof read === 'string') {
            if (counts.unparsed++ < sampleSize) sample.push(toSampleLine(read));
            continue;
          }
          batch.push(read);
          counts.deliveries++;
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    }
    await writes.drain();
  } catch (error) {
    throw await writes.stoppedBy(error);
  } finally {
    await writer.close();
  }

  const written = writes.counts;
  const seconds = (performance.now() - startedMs) / 1000;
  const perSecond = (n: number) => (seconds > 0 ? Math.round(n / seconds) : n);
  return {
    files: [...paths],
    ...counts,
    added: written.added,
    updated: written.updated,
    duplicates: written.unchanged,
    unparsedSample: sample,
    seconds: Math.round(seconds * 1000) / 1000,
    linesPerSecond: perSecond(counts.lines),
    deliveriesPerSecond: perSecond(counts.deliveries),
  };
}
