import type { Command } from 'commander';
import { InputError } from '../../errors/index.js';
import {
  assertTimeZone,
  checkTimeRange,
  DELIVERY_STATUSES,
  followMtaLog,
  importMtaLogs,
  importNdjsonFiles,
  formatDeliveryCursor,
  normaliseMessageId,
  parseDeliveryCursor,
  readAddressFilter,
  type Delivery,
  type DeliveryFilter,
  type FollowReport,
  type LogImportReport,
  type MessageReach,
  readClientAddressInput,
} from '../../trace/index.js';
import { withApp, type GlobalOptions } from '../cli-context.js';
import { table } from '../output.js';
import { parseIntegerOption, parseTimeOption } from '../parse-options.js';

interface SearchOptions {
  messageId?: string;
  sender?: string;
  recipient?: string;
  queueId?: string;
  subject?: string;
  subjectWords?: string;
  client?: string;
  status?: string;
  after?: string;
  before?: string;
  limit: string;
  cursor?: string;
  byMessage?: boolean;
}

interface ImportReportLines {
  lines: number;
  deliveries: number;
  added: number;
  updated: number;
  duplicates: number;
  unparsed: number;
  unparsedSample: string[];
}

const FORMATS = ['mta', 'ndjson'];

/**
 * `trace import --format ndjson` stored what it could but refused some
 * records: the report is printed, and a cron job sees this code. An MTA log
 * always has lines no parser reads, so those leave the exit code at 0.
 */
export const EXIT_RECORDS_REJECTED = 4;

/** The report lines `import` and `follow` share; `unreadLabel` names what was not read. */
function describeImport(report: ImportReportLines, unreadLabel = 'lines not understood'): string[] {
  return [
    `deliveries: ${report.deliveries} read, ${report.added} added, ${report.updated} updated, ${report.duplicates} already known`,
    `${unreadLabel}: ${report.unparsed}`,
    ...report.unparsedSample.slice(0, 5).map((l) => `  ${l}`),
  ];
}

/** The order an MTA log import read its files in, what it took up from the last one, and a hint when it found nothing. */
function describeOrder(report: LogImportReport): string[] {
  const lines: string[] = [];
  if (report.files.length > 1) lines.push(`files read oldest first: ${report.files.join(', ')}`);
  if (report.carriedOver > 0) {
    lines.push(`took up ${report.carriedOver} message(s) the previous import left in the queue`);
  }
  if (report.lines > 0 && report.deliveries === 0) {
    lines.push(
      `no delivery found in ${report.lines} line(s): Postfix lines are read as syslog writes them ` +
        '(`Dec  4 09:00:00 mta1 postfix/lmtp[123]: ...`, or with an RFC 3339 time); ' +
        'check the file is an MTA log',
    );
  }
  return lines;
}

function registerImport(trace: Command, globals: () => GlobalOptions): void {
  trace
    .command('import <file...>')
    .description(
      `import MTA logs (zimbra.log, maillog) or NDJSON deliveries; plain or .gz; exit code ${EXIT_RECORDS_REJECTED} when NDJSON records were rejected`,
    )
    .option('--format <format>', FORMATS.join(' | '), 'mta')
    .option('--time-zone <zone>', 'IANA zone of the log timestamps that carry no zone', 'UTC')
    .action(async (files: string[], opts: { format: string; timeZone: string }) => {
      if (!FORMATS.includes(opts.format)) {
        const message = `--format: "${opts.format}" is not one of ${FORMATS.join(', ')}`;
        throw new InputError('CLI_BAD_FORMAT', '--format', message);
      }
      assertTimeZone(opts.timeZone, '--time-zone');
      await withApp(globals(), async ({ app, out }) => {
        const ndjson = opts.format === 'ndjson';
        const mta = ndjson
          ? null
          : await importMtaLogs(files, app.deliveries, { timeZone: opts.timeZone });
        const report = mta ?? (await importNdjsonFiles(files, app.deliveries));
        const order = mta === null ? [] : describeOrder(mta);
        out.result(report, () => [
          `read ${report.lines} lines from ${files.length} file(s) in ${report.seconds} s (${report.linesPerSecond} lines/s, ${report.deliveriesPerSecond} deliveries/s)`,
          ...order,
          ...describeImport(report, ndjson ? 'records rejected' : undefined),
        ]);
        if (ndjson && report.unparsed > 0) {
          out.note(
            `${report.unparsed} record(s) rejected and not stored; exit code ${EXIT_RECORDS_REJECTED}`,
          );
          process.exitCode = EXIT_RECORDS_REJECTED;
        }
      });
    });
}

function registerFollow(trace: Command, globals: () => GlobalOptions): void {
  trace
    .command('follow <file>')
    .description('keep importing an MTA log as it grows, across rotations and restarts')
    .option('--time-zone <zone>', 'IANA zone of the log timestamps that carry no zone', 'UTC')
    .option('--poll-ms <ms>', 'how often to look for new lines', '1000')
    .action(async (file: string, opts: { timeZone: string; pollMs: string }) => {
      const pollMs = parseIntegerOption(opts.pollMs, '--poll-ms', 50, 60_000);
      assertTimeZone(opts.timeZone, '--time-zone');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await withApp(globals(), async ({ app, out }) => {
          out.note(`following ${file}; Ctrl-C stops (the place is saved)`);
          const report = await followMtaLog(file, app.deliveries, {
            timeZone: opts.timeZone,
            pollMs,
            signal: stop.signal,
            onCheckpoint: (r) => out.note(describeProgress(r)),
            onWarning: (message) => out.note(`warning: ${message}`),
          });
          out.result(report, () => [
            `${report.resumed ? 'resumed' : 'started'} ${report.path}; stopped at byte ${report.offsetBytes}`,
            `read ${report.lines} lines; ${report.rotations} rotation(s), ${report.truncations} truncation(s)`,
            ...describeImport(report),
          ]);
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function describeProgress(r: FollowReport): string {
  return `${new Date().toISOString()} ${r.lines} lines, ${r.added} added, ${r.updated} updated, byte ${r.offsetBytes}`;
}

/** `retract trace import|follow|search`. */
export function registerTraceCommands(program: Command, globals: () => GlobalOptions): void {
  const trace = program.command('trace').description('the message trace of delivered mail');
  registerImport(trace, globals);
  registerFollow(trace, globals);

  trace
    .command('search')
    .description('find deliveries; filters combine with AND')
    .option('--message-id <id>', 'Message-ID, with or without <>, also as logged (RFC 2047)')
    .option('--sender <address>', 'envelope sender')
    .option('--recipient <address>', 'recipient mailbox')
    .option('--queue-id <id>', 'MTA queue id (ext:<sourceId> for a gateway delivery)')
    .option('--subject <text>', 'text anywhere in the subject (case and accents ignored)')
    .option('--subject-words <words>', 'whole words of the subject, all of them, any order')
    .option('--client <ip>', 'address of the SMTP client that sent the message in')
    .option('--status <status>', DELIVERY_STATUSES.join(' | '))
    .option('--after <time>', 'from this time: 2026-12-01, 2026-12-01T08:00Z or 7d (ago)')
    .option('--before <time>', 'until this time, same forms')
    .option('--limit <n>', 'at most this many rows (messages with --by-message)', '100')
    .option('--cursor <next>', 'the next page: the cursor the page before printed')
    .option(
      '--by-message',
      'one row per message: how many recipients it was delivered to, and the other statuses',
    )
    .action(async (opts: SearchOptions) => {
      const filter = parseSearch(opts, Date.now());
      if (opts.byMessage && opts.cursor) {
        throw new InputError(
          'CLI_BAD_OPTIONS',
          '--cursor',
          '--cursor: pages are of deliveries; --by-message lists the widest messages first in one answer',
        );
      }
      const after = opts.cursor ? parseDeliveryCursor(opts.cursor, '--cursor') : undefined;
      await withApp(globals(), async ({ app, out }) => {
        if (opts.byMessage) {
          const messages = await app.deliveries.messages(filter);
          out.result({ messages }, () => describeMessages(messages));
          return;
        }
        const page = await app.deliveries.searchPage(filter, after);
        const next = page.next ? formatDeliveryCursor(page.next) : null;
        out.result({ deliveries: page.deliveries, next }, () => [
          ...describeDeliveries(page.deliveries),
          ...(next ? [`more: add --cursor ${next}`] : []),
        ]);
      });
    });
}

function describeDeliveries(rows: readonly Delivery[]): string[] {
  if (rows.length === 0) return ['no deliveries match'];
  return table(
    ['TIME', 'STATUS', 'QUEUE-ID', 'RECIPIENT', 'SENDER', 'MESSAGE-ID', 'SUBJECT'],
    rows.map((r) => [
      r.time,
      r.status,
      r.queueId,
      r.recipient,
      r.sender || '<>',
      r.messageId ?? '(none)',
      (r.subject ?? '').slice(0, 50),
    ]),
  );
}

/**
 * One row per message. RECIPIENTS counts the mailboxes it was delivered to;
 * NOT DELIVERED the recipients in every other status, so mail that reached
 * nobody (filtered, bounced) still shows, with a RECIPIENTS of 0.
 */
function describeMessages(messages: readonly MessageReach[]): string[] {
  if (messages.length === 0) return ['no message matches'];
  return table(
    ['FIRST DELIVERED', 'RECIPIENTS', 'NOT DELIVERED', 'SENDER', 'MESSAGE-ID', 'SUBJECT'],
    messages.map((m) => [
      m.firstDeliveredMs === null ? '-' : new Date(m.firstDeliveredMs).toISOString(),
      String(m.recipients),
      describeUndelivered(m.byStatus),
      m.sender || '<>',
      m.messageId ?? `(none; queue ${m.queueId ?? '?'})`,
      (m.subject ?? '').slice(0, 50),
    ]),
  );
}

/** `filtered 2, bounced 1`: recipients per status other than delivered; `-` when none. */
function describeUndelivered(byStatus: Readonly<Record<string, number>>): string {
  const parts = DELIVERY_STATUSES.flatMap((s) =>
    s !== 'delivered' && byStatus[s] ? [`${s} ${byStatus[s]}`] : [],
  );
  return parts.length === 0 ? '-' : parts.join(', ');
}

/** Option names of the search filters, for the empty-value check. */
const FILTER_OPTIONS: Readonly<Record<string, string>> = {
  messageId: '--message-id',
  sender: '--sender',
  recipient: '--recipient',
  queueId: '--queue-id',
  subject: '--subject',
  subjectWords: '--subject-words',
  client: '--client',
  status: '--status',
  after: '--after',
  before: '--before',
  cursor: '--cursor',
};

function parseSearch(opts: SearchOptions, nowMs: number): DeliveryFilter {
  for (const [key, option] of Object.entries(FILTER_OPTIONS)) {
    const value = (opts as unknown as Record<string, unknown>)[key];
    // An unset shell variable must not widen a search to the whole trace.
    if (typeof value === 'string' && value.trim() === '') {
      throw new InputError(
        'CLI_EMPTY_VALUE',
        option,
        `${option}: is empty; leave the option out to match anything${option === '--sender' ? ", or give '<>' for the null sender" : ''}`,
      );
    }
  }
  if (opts.client !== undefined && readClientAddressInput(opts.client) === null) {
    throw new InputError(
      'CLI_BAD_ADDRESS',
      '--client',
      `--client: "${opts.client.slice(0, 60)}" is not an IPv4 or IPv6 address`,
    );
  }
  const statuses: readonly string[] = DELIVERY_STATUSES;
  if (opts.status && !statuses.includes(opts.status)) {
    throw new InputError(
      'CLI_BAD_STATUS',
      '--status',
      `--status: "${opts.status}" is not one of ${DELIVERY_STATUSES.join(', ')}`,
    );
  }
  const filter: DeliveryFilter = {
    ...(opts.messageId ? { messageId: normaliseMessageId(opts.messageId) } : {}),
    ...(opts.sender ? { sender: readAddressFilter(opts.sender, '--sender') } : {}),
    ...(opts.recipient ? { recipient: readAddressFilter(opts.recipient, '--recipient') } : {}),
    ...(opts.queueId ? { queueId: opts.queueId.trim() } : {}),
    ...(opts.subject ? { subject: opts.subject } : {}),
    ...(opts.subjectWords ? { subjectWords: opts.subjectWords } : {}),
    ...(opts.client ? { clientAddress: opts.client.trim() } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.after ? { afterMs: parseTimeOption(opts.after, '--after', nowMs) } : {}),
    ...(opts.before ? { beforeMs: parseTimeOption(opts.before, '--before', nowMs) } : {}),
    limit: parseIntegerOption(opts.limit, '--limit', 1, 100_000),
  };
  checkTimeRange(filter.afterMs, filter.beforeMs, '--after', '--before');
  return filter;
}
