import type { DeliveryStore } from './delivery-store.js';
import { PostfixLogParser } from './postfix-log-parser.js';
import type { ParsedDelivery } from './parsed-delivery.js';
import { readLogLines } from './read-log-lines.js';

export interface LogImportOptions {
  /** IANA zone of the log's year-less timestamps. Default 'UTC'. */
  timeZone?: string;
  now?: () => number;
  /** Deliveries written per transaction. */
  batchSize?: number;
}

/** What an import read and wrote, for the operator. */
export interface LogImportReport {
  files: string[];
  lines: number;
  /** Delivery records written (a deferred-then-sent pair is two writes of one row). */
  deliveries: number;
  delivered: number;
  deferred: number;
  /** Bounced or expired: the mail was refused or given up on. */
  rejected: number;
  unparsed: number;
  unparsedSample: string[];
  repeatedIgnored: number;
  seconds: number;
  linesPerSecond: number;
}

/**
 * Streams Postfix/Zimbra MTA logs (plain or gzip) into the trace. Memory
 * stays flat: lines are parsed one by one and written in batches.
 */
export async function importMtaLogs(
  paths: readonly string[],
  deliveries: DeliveryStore,
  options: LogImportOptions = {},
): Promise<LogImportReport> {
  const clock = options.now ?? Date.now;
  const startedMs = performance.now();
  const parser = new PostfixLogParser({ timeZone: options.timeZone ?? 'UTC', now: clock });
  const batchSize = options.batchSize ?? 2_000;
  const counts = { deliveries: 0, delivered: 0, deferred: 0, rejected: 0 };
  let batch: ParsedDelivery[] = [];

  const flush = async (source: string) => {
    await deliveries.upsert(batch, source);
    batch = [];
  };
  for (const path of paths) {
    const source = `mta-log:${path}`;
    for await (const line of readLogLines(path)) {
      for (const record of parser.push(line)) {
        batch.push(record);
        tally(counts, record);
      }
      if (batch.length >= batchSize) await flush(source);
    }
    await flush(source);
  }

  const stats = parser.stats;
  const seconds = (performance.now() - startedMs) / 1000;
  return {
    files: [...paths],
    lines: stats.lines,
    ...counts,
    unparsed: stats.unparsed,
    unparsedSample: stats.unparsedSample,
    repeatedIgnored: stats.repeatedIgnored,
    seconds: Math.round(seconds * 1000) / 1000,
    linesPerSecond: seconds > 0 ? Math.round(stats.lines / seconds) : stats.lines,
  };
}

function tally(counts: Record<string, number>, record: ParsedDelivery): void {
  counts['deliveries']! += 1;
  if (record.status === 'delivered') counts['delivered']! += 1;
  else if (record.status === 'deferred') counts['deferred']! += 1;
  else counts['rejected']! += 1;
}
