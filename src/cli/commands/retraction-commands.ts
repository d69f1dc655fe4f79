import type { Command } from 'commander';
import type { Retraction, RetractionReport } from '../../retraction/index.js';
import { cliActor, withApp, type GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';
import { table, type Output } from '../output.js';

interface RunOptions {
  messageId: string;
  recipients?: string;
  action: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** Exit code of a retraction that finished with failed mailboxes. */
export const EXIT_SOME_FAILED = 3;

/** `retract run|status|restore|list|resume`. */
export function registerRetractionCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('run')
    .description('retract a message from the mailboxes it was delivered to')
    .requiredOption('--message-id <id>', 'Message-ID of the message, with or without <>')
    .option('--recipients <list>', 'comma-separated mailboxes; default: the trace recipients')
    .option('--action <action>', 'quarantine | trash | delete', 'quarantine')
    .option('--dry-run', 'search every mailbox but change nothing')
    .option('--yes', 'do not ask for confirmation')
    .action(async (opts: RunOptions) => {
      await withApp(globals(), async ({ app, out }) => {
        const plan = await app.retractions.plan({
          messageId: opts.messageId,
          action: opts.action,
          dryRun: opts.dryRun === true,
          // An empty list (an unset shell variable) must fail, never widen to
          // every recipient in the trace.
          ...(opts.recipients !== undefined ? { recipients: opts.recipients.split(',') } : {}),
        });
        if (!plan.dryRun) {
          const permanent = plan.action === 'delete' ? ' (permanent: cannot be restored)' : '';
          await confirm(
            `${plan.action}${permanent} <${plan.messageId}> in ${plan.recipients.length} mailboxes?`,
            opts.yes === true,
          );
        }
        const retraction = await app.retractions.create(plan, cliActor());
        out.note(`retraction ${retraction.id}: ${plan.recipients.length} mailboxes`);
        const report = await app.retractions
          .run(retraction.id, progress(out, plan.recipients.length))
          .catch((err: unknown) => {
            // The tasks stay where they were saved: say how to finish them.
            out.note(`retraction ${retraction.id} stopped; "retract resume" finishes it`);
            throw err;
          });
        finish(out, report);
      });
    });

  program
    .command('status <id>')
    .description('show a retraction with its per-mailbox receipts')
    .action(async (id: string) => {
      await withApp(globals(), async ({ app, out }) => {
        const report = await app.retractions.report(id);
        out.result(report, () => [...humanSummary(report), '', ...mailboxTable(report)]);
      });
    });

  program
    .command('restore <id>')
    .description('put every copy a retraction moved back where it was')
    .option('--yes', 'do not ask for confirmation')
    .action(async (id: string, opts: { yes?: boolean }) => {
      await withApp(globals(), async ({ app, out }) => {
        const before = await app.retractions.report(id);
        await confirm(
          `restore <${before.messageId}> in ${before.counts.retracted} mailboxes?`,
          opts.yes === true,
        );
        const report = await app.retractions.restore(
          id,
          cliActor(),
          progress(out, before.counts.mailboxes),
        );
        finish(out, report);
      });
    });

  program
    .command('list')
    .description('list retractions, newest first')
    .action(async () => {
      await withApp(globals(), async ({ app, out }) => {
        const all = (await app.retractions.list()).map(listEntry);
        out.result(all, () =>
          table(
            ['ID', 'CREATED', 'ACTION', 'STATUS', 'RESTORE', 'MESSAGE-ID'],
            all.map((r) => [
              r.id,
              r.createdAt,
              r.dryRun ? `${r.action} (dry run)` : r.action,
              r.status,
              r.restoreStatus ?? '-',
              r.messageId,
            ]),
          ),
        );
      });
    });

  program
    .command('resume')
    .description('finish retractions a stopped process left running')
    .action(async () => {
      await withApp(globals(), async ({ app, out }) => {
        const { resumed, busy } = await app.retractions.resumeAll();
        out.result({ resumed, busy }, () => [
          ...(resumed.length === 0 && busy.length === 0 ? ['nothing to resume'] : []),
          ...resumed.flatMap(humanSummary),
          ...busy.map((id) => `retraction ${id}: another process is working on it; left to it`),
        ]);
        if (resumed.some((r) => r.counts.failed > 0)) process.exitCode = EXIT_SOME_FAILED;
      });
    });

  program
    .command('cancel <id>')
    .description('stop a running retraction: mailboxes not started yet are left alone')
    .action(async (id: string) => {
      await withApp(globals(), async ({ app, out }) => {
        const report = await app.retractions.cancel(id, cliActor());
        out.result(report, () => humanSummary(report));
      });
    });
}

/** A list row in the shape `status --json` uses: ISO times, no counts. */
function listEntry(r: Retraction) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: r.id,
    messageId: r.messageId,
    action: r.action,
    dryRun: r.dryRun,
    status: r.status,
    restoreStatus: r.restoreStatus,
    requestedBy: r.requestedBy,
    createdAt: iso(r.createdAtMs)!,
    finishedAt: iso(r.finishedAtMs),
    restoredAt: iso(r.restoredAtMs),
  };
}

function progress(out: Output, total: number) {
  let done = 0;
  return () => {
    done += 1;
    if (process.stderr.isTTY && !out.json) process.stderr.write(`\r  ${done}/${total} mailboxes`);
    if (done === total && process.stderr.isTTY && !out.json) process.stderr.write('\n');
  };
}

function finish(out: Output, report: RetractionReport): void {
  out.result(report, () => humanSummary(report));
  if (report.counts.failed > 0) process.exitCode = EXIT_SOME_FAILED;
}

function mailboxTable(report: RetractionReport): string[] {
  return table(
    ['MAILBOX', 'STATUS', 'COPIES', 'FOLDERS BEFORE', 'ERROR'],
    report.mailboxes.map((m) => [
      m.account,
      m.status,
      String(m.items.length),
      [...new Set(m.items.map((i) => i.folderBefore))].join(','),
      m.error ? `${m.error.class} ${m.error.code}` : '',
    ]),
  );
}

function humanSummary(report: RetractionReport): string[] {
  const c = report.counts;
  const lines = [
    `retraction ${report.id}  ${report.action}${report.dryRun ? ' (dry run)' : ''}  <${report.messageId}>`,
    `  status ${report.status}${report.restoreStatus ? `, restore ${report.restoreStatus}` : ''}`,
    `  mailboxes ${c.mailboxes}: retracted ${c.retracted}, not found ${c.not_found}, failed ${c.failed}` +
      (c.found ? `, found (dry run) ${c.found}` : '') +
      (c.restored ? `, restored ${c.restored}` : '') +
      `; copies ${c.copies}`,
  ];
  for (const m of report.mailboxes.filter((m) => m.error)) {
    lines.push(`  ${m.account}: ${m.error!.class} ${m.error!.code}: ${m.error!.message}`);
  }
  return lines;
}
