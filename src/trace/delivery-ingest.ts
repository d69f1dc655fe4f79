import { InputError } from '../errors/index.js';
import type { DeliveryStore } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';
import { readIngestRecord, type IngestProblem } from './ingest-record.js';

/** Records one ingest call may carry. */
export const MAX_INGEST_RECORDS = 10_000;

/** Problems named in one error message; the rest are counted. */
const PROBLEMS_SHOWN = 5;

export interface IngestOptions {
  /** Where the records come from, stored with each: `api:<token name>`, `ndjson:<file>`. */
  source: string;
  /** Name of the array in error fields. Default `records`. */
  field?: string;
  /** How record `i` is named in errors; default `${field}[i]`. NDJSON names lines: `line 4`. */
  nameOf?: (index: number) => string;
  /** The clock a delivery time may not run more than a day ahead of. Default Date.now. */
  now?: () => number;
}

/** What an ingest call did. */
export interface IngestReport {
  received: number;
  added: number;
  updated: number;
  duplicates: number;
}

function describeProblems(problems: IngestProblem[]): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).map((p) => `${p.field}: ${p.message}`);
  const more = problems.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/**
 * Adds deliveries another gateway reports to the trace, all or nothing:
 * every record is checked first, and one bad record refuses the call.
 * Idempotent on each record's `sourceId` and recipient.
 *
 * @throws InputError `TRACE_BAD_DELIVERY` naming the first bad field
 *   (`records[3].recipient`); the message lists up to five problems.
 * @throws InputError `TRACE_TOO_MANY_DELIVERIES` past MAX_INGEST_RECORDS.
 */
export async function ingestDeliveries(
  values: readonly unknown[],
  deliveries: DeliveryStore,
  options: IngestOptions,
): Promise<IngestReport> {
  const field = options.field ?? 'records';
  if (values.length > MAX_INGEST_RECORDS) {
    const message = `${field}: at most ${MAX_INGEST_RECORDS} records per call, got ${values.length}`;
    throw new InputError('TRACE_TOO_MANY_DELIVERIES', field, message);
  }

  const records: DeliveryRecord[] = [];
  const problems: IngestProblem[] = [];
  const nowMs = (options.now ?? Date.now)();
  values.forEach((value, i) => {
    const read = readIngestRecord(value, options.nameOf?.(i) ?? `${field}[${i}]`, nowMs);
    if ('record' in read) records.push(read.record);
    else problems.push(...read.problems);
  });
  const first = problems[0];
  if (first !== undefined) {
    throw new InputError('TRACE_BAD_DELIVERY', first.field, describeProblems(problems));
  }

  const written = await deliveries.upsert(records, options.source);
  return {
    received: values.length,
    added: written.added,
    updated: written.updated,
    duplicates: written.unchanged,
  };
}
