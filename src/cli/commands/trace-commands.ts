import type { Command } from 'commander';
import { InputError } from '../../errors/index.js';
import { importMtaLogs, normaliseMessageId, type DeliveryFilter } from '../../trace/index.js';
import { withApp, type GlobalOptions } from '../cli-context.js';
import { table } from '../output.js';
import { parseIntegerOption, parseTimeOption } from '../parse-options.js';

interface SearchOptions {
  messageId?: string;
  sender?: string;
  recipient?: string;
  subject?: string;
  status?: string;
  after?: string;
  before?: string;
  limit: string;
}

const STATUSES = ['delivered', 'deferred', 'bounced', 'expired'];

/** `retract trace import|search`. */
export function registerTraceCommands(program: Command, globals: () => GlobalOptions): void {
  const trace = program.command('trace').description('the message trace of delivered mail');

  trace
    .command('import <logfile...>')
    .description('import Postfix/Zimbra MTA logs (zimbra.log, maillog; plain or .gz)')
    .option('--time-zone <zone>', 'IANA zone of the log timestamps that carry no zone', 'UTC')
    .action(async (files: string[], opts: { timeZone: string }) => {
      await withApp(globals(), async ({ app, out }) => {
        const report = await importMtaLogs(files, app.deliveries, { timeZone: opts.timeZone });
        out.result(report, () => [
          `read ${report.lines} lines from ${files.length} file(s) in ${report.seconds} s (${report.linesPerSecond} lines/s)`,
          `deliveries: ${report.deliveries} (${report.delivered} delivered, ${report.deferred} deferred, ${report.rejected} bounced or expired)`,
          `lines not understood: ${report.unparsed}`,
          ...report.unparsedSample.slice(0, 5).map((l) => `  ${l}`),
        ]);
      });
    });

  trace
    .command('search')
    .description('find deliveries; filters combine with AND')
    .option('--message-id <id>', 'Message-ID, with or without <>')
    .option('--sender <address>', 'envelope sender')
    .option('--recipient <address>', 'recipient mailbox')
    .option('--subject <text>', 'words of the subject (case-insensitive)')
    .option('--status <status>', STATUSES.join(' | '))
    .option('--after <time>', 'from this time: 2026-12-01, 2026-12-01T08:00Z or 7d (ago)')
    .option('--before <time>', 'until this time, same forms')
    .option('--limit <n>', 'at most this many rows', '100')
    .action(async (opts: SearchOptions) => {
      const filter = parseSearch(opts, Date.now());
      await withApp(globals(), async ({ app, out }) => {
        const rows = await app.deliveries.search(filter);
        out.result(rows, () =>
          rows.length === 0
            ? ['no deliveries match']
            : table(
                ['TIME', 'STATUS', 'RECIPIENT', 'SENDER', 'MESSAGE-ID', 'SUBJECT'],
                rows.map((r) => [
                  r.time,
                  r.status,
                  r.recipient,
                  r.sender || '<>',
                  r.messageId ?? '(none)',
                  (r.subject ?? '').slice(0, 50),
                ]),
              ),
        );
      });
    });
}

function parseSearch(opts: SearchOptions, nowMs: number): DeliveryFilter {
  if (opts.status && !STATUSES.includes(opts.status)) {
    throw new InputError(
      'CLI_BAD_STATUS',
      '--status',
      `--status: "${opts.status}" is not one of ${STATUSES.join(', ')}`,
    );
  }
  return {
    ...(opts.messageId ? { messageId: normaliseMessageId(opts.messageId) } : {}),
    ...(opts.sender ? { sender: opts.sender.trim() } : {}),
    ...(opts.recipient ? { recipient: opts.recipient.trim() } : {}),
    ...(opts.subject ? { subject: opts.subject } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.after ? { afterMs: parseTimeOption(opts.after, '--after', nowMs) } : {}),
    ...(opts.before ? { beforeMs: parseTimeOption(opts.before, '--before', nowMs) } : {}),
    limit: parseIntegerOption(opts.limit, '--limit', 1, 100_000),
  };
}
