import type { DeliveryWriteCounts } from '../store/index.js';
import type { DeliveryStore } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';
import { PipelinedWrites } from './pipelined-writes.js';
import { PostfixLogParser, type PostfixLogStats } from './postfix-log-parser.js';
import { assertLogsReadable, readLogBatches } from './read-log-lines.js';

export interface LogImportOptions {
  /** IANA zone of the log's year-less timestamps. Default 'UTC'. */
  timeZone?: string;
  now?: () => number;
  /** Deliveries per batch handed to the writer. Default 20,000. */
  batchSize?: number;
}

/** What an import read and wrote, for the operator. */
export interface LogImportReport {
  files: string[];
  lines: number;
  /** Delivery records read (a deferred-then-sent pair is two records of one delivery). */
  deliveries: number;
  delivered: number;
  deferred: number;
  /** Bounced or expired: the mail was refused or given up on. */
  rejected: number;
  /** Handed to a content filter that never passed it on. */
  filtered: number;
  /** Deliveries new to the trace. */
  added: number;
  /** Deliveries already in the trace that changed (a later status, a field filled in). */
  updated: number;
  /** Records the trace already held exactly (a file imported again). */
  duplicates: number;
  unparsed: number;
  unparsedSample: string[];
  repeatedIgnored: number;
  /** Open queue entries dropped to keep memory flat; their later lines lost context. */
  evicted: number;
  seconds: number;
  linesPerSecond: number;
  deliveriesPerSecond: number;
}

type StatusCounts = Pick<
  LogImportReport,
  'deliveries' | 'delivered' | 'deferred' | 'rejected' | 'filtered'
>;

/**
 * Streams Postfix/Zimbra MTA logs (plain or gzip) into the trace. Memory
 * stays flat: lines are parsed as they are read and written in batches by
 * the store's writer thread, a few batches in flight while the next is parsed.
 */
export async function importMtaLogs(
  paths: readonly string[],
  deliveries: DeliveryStore,
  options: LogImportOptions = {},
): Promise<LogImportReport> {
  const startedMs = performance.now();
  const parser = new PostfixLogParser({
    timeZone: options.timeZone ?? 'UTC',
    now: options.now ?? Date.now,
  });
  const batchSize = options.batchSize ?? 20_000;
  const tally: StatusCounts = {
    deliveries: 0,
    delivered: 0,
    deferred: 0,
    rejected: 0,
    filtered: 0,
  };
  await assertLogsReadable(paths);
  const writer = deliveries.openWriter();
  const writes = new PipelinedWrites(writer);

  try {
    for (const path of paths) {
      const source = `mta-log:${path}`;
      let batch: DeliveryRecord[] = [];
      for await (const lines of readLogBatches(path)) {
        for (const line of lines) for (const record of parser.push(line)) batch.push(record);
        if (batch.length < batchSize) continue;
        await writes.send(countStatuses(tally, batch), source);
        batch = [];
      }
      await writes.send(countStatuses(tally, batch), source);
    }
    await writes.drain();
  } catch (error) {
    throw await writes.stoppedBy(error);
  } finally {
    await writer.close();
  }
  return buildReport(paths, parser.stats, tally, writes.counts, startedMs);
}

function countStatuses(tally: StatusCounts, records: DeliveryRecord[]): DeliveryRecord[] {
  for (const { status } of records) {
    tally.deliveries++;
    if (status === 'delivered') tally.delivered++;
    else if (status === 'deferred') tally.deferred++;
    else if (status === 'filtered') tally.filtered++;
    else tally.rejected++;
  }
  return records;
}

function buildReport(
  paths: readonly string[],
  stats: PostfixLogStats,
  tally: StatusCounts,
  written: DeliveryWriteCounts,
  startedMs: number,
): LogImportReport {
  const seconds = (performance.now() - startedMs) / 1000;
  const perSecond = (n: number) => (seconds > 0 ? Math.round(n / seconds) : n);
  return {
    files: [...paths],
    lines: stats.lines,
    ...tally,
    added: written.added,
    updated: written.updated,
    duplicates: written.unchanged,
    unparsed: stats.unparsed,
    unparsedSample: stats.unparsedSample,
    repeatedIgnored: stats.repeatedIgnored,
    evicted: stats.evicted,
    seconds: Math.round(seconds * 1000) / 1000,
    linesPerSecond: perSecond(stats.lines),
    deliveriesPerSecond: perSecond(tally.deliveries),
  };
}
