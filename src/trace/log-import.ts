import type { DeliveryWriteCounts } from '../store/index.js';
import type { DeliveryStore } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';
import { PipelinedWrites } from './pipelined-writes.js';
import { PostfixLogParser, type PostfixLogStats } from './postfix-log-parser.js';
import { readLogBatches } from './read-log-lines.js';
import { SyslogLineParser } from './syslog-line.js';

/**
 * The `trace_sources` row where an import leaves the messages still open at
 * the end of its last file, for the next import to take up. Followed files
 * are named by their absolute path, so this name never meets one.
 */
export const IMPORT_CARRY_OVER = '(import)';

export interface LogImportOptions {
  /** IANA zone of the log's year-less timestamps. Default 'UTC'. */
  timeZone?: string;
  now?: () => number;
  /** Deliveries per batch handed to the writer. Default 20,000. */
  batchSize?: number;
  /**
   * Take up the messages the previous import left open and leave this one's
   * for the next, so a message whose lines a rotation split between two
   * imports keeps its Message-ID, sender and subject. Default true.
   */
  carryOver?: boolean;
  /** The `source` stored with each delivery of the file at `path`. Default `mta-log:<path>`. */
  sourceOf?: (path: string) => string;
}

/** What an import read and wrote, for the operator. */
export interface LogImportReport {
  /** In the order read: oldest first, by each file's first timestamp. */
  files: string[];
  /** Messages the previous import left open (their delivery lines still to come) taken up by this one. */
  carriedOver: number;
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
  const timeZone = options.timeZone ?? 'UTC';
  const now = options.now ?? Date.now;
  const carryOver = options.carryOver ?? true;
  const states = deliveries.followStates();
  const carried = carryOver ? ((await states.load(IMPORT_CARRY_OVER))?.parser ?? null) : null;
  const parser = new PostfixLogParser({
    timeZone,
    now,
    ...(carried === null ? {} : { snapshot: carried }),
  });
  const batchSize = options.batchSize ?? 20_000;
  const tally: StatusCounts = {
    deliveries: 0,
    delivered: 0,
    deferred: 0,
    rejected: 0,
    filtered: 0,
  };
  // Reads the start of every file, so one that cannot be read fails the
  // import before anything is written.
  const ordered = await oldestFirst(paths, () => new SyslogLineParser({ timeZone, now }));
  const writer = deliveries.openWriter();
  const writes = new PipelinedWrites(writer);

  try {
    for (const path of ordered) {
      const source = options.sourceOf?.(path) ?? `mta-log:${path}`;
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
  if (carryOver) {
    const snapshot = parser.snapshot();
    await states.save(IMPORT_CARRY_OVER, {
      fileId: '',
      offsetBytes: 0,
      tailHash: '',
      parser: snapshot,
    });
  }
  const report = buildReport(ordered, parser.stats, tally, writes.counts, startedMs);
  return { ...report, carriedOver: carried?.open.length ?? 0 };
}

/**
 * The files in the order their lines were written, by the first timestamp of
 * each (files with none keep their place, last): a shell glob gives
 * `zimbra.log zimbra.log.1 zimbra.log.2.gz`, newest first, and a message
 * whose lines a rotation split must be read from its start.
 */
async function oldestFirst(
  paths: readonly string[],
  syslog: () => SyslogLineParser,
): Promise<string[]> {
  const firstTimes = new Map<string, number>();
  // A parser per file: the year of a classic timestamp depends on the lines before it.
  for (const path of paths) firstTimes.set(path, await readFirstTime(path, syslog()));
  const timeOf = (path: string) => firstTimes.get(path) ?? Number.POSITIVE_INFINITY;
  // Stable: files of equal (or no) first time keep the order given.
  return [...paths].sort((a, b) => (timeOf(a) === timeOf(b) ? 0 : timeOf(a) < timeOf(b) ? -1 : 1));
}

/** The time of the first syslog line in the file's first chunk; +Infinity without one. */
async function readFirstTime(path: string, syslog: SyslogLineParser): Promise<number> {
  for await (const lines of readLogBatches(path)) {
    for (const line of lines) {
      const frame = syslog.parse(line);
      if (frame !== null) return frame.timeMs;
    }
    break;
  }
  return Number.POSITIVE_INFINITY;
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
): Omit<LogImportReport, 'carriedOver'> {
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
