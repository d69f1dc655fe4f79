import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importMtaLogs } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const LOGS = join(import.meta.dirname, '..', 'fixtures', 'mta-logs');
// The fixtures are year-less syslog from early December 2026.
const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);

describe('importing MTA logs into the trace', () => {
  const tempDir = useTempDir();

  it('stores one delivery per recipient of a multi-recipient message', async () => {
    const { app } = await createTestApp(tempDir());
    const report = await importMtaLogs([join(LOGS, 'multi-recipient.log')], app.deliveries, {
      now: NOW,
    });
    const rows = await app.deliveries.search({
      messageId: '20261204155630.GA1234@mail.sender.test',
    });
    const recipients = await app.deliveries.recipientsOf('20261204155630.GA1234@mail.sender.test');
    await app.close();

    expect(report).toMatchObject({ deliveries: 3, delivered: 3, rejected: 0 });
    expect(recipients).toEqual(['alice@example.test', 'bob@example.test', 'carol@example.test']);
    expect(rows.find((r) => r.recipient === 'bob@example.test')).toMatchObject({
      originalRecipient: 'sales@example.test',
      sender: 'billing@sender.test',
      sizeBytes: 48213,
      clientAddress: '203.0.113.25',
      queueId: '4F1A2B3C4D',
      status: 'delivered',
      time: '2026-12-04T15:56:32.000Z',
    });
  });

  it('ends a deferred-then-sent recipient as delivered, in one row', async () => {
    const { app } = await createTestApp(tempDir());
    const report = await importMtaLogs([join(LOGS, 'deferred-bounced.log')], app.deliveries, {
      now: NOW,
    });
    const rows = await app.deliveries.search({ messageId: 'f00d.1@example.test' });
    await app.close();

    expect(rows.map((r) => [r.recipient, r.status]).sort()).toEqual([
      ['nobody@remote.test', 'bounced'],
      ['partner@remote.test', 'delivered'],
    ]);
    expect(report.deferred).toBeGreaterThanOrEqual(1);
    expect(report.rejected).toBeGreaterThanOrEqual(2);
  });

  it('changes nothing when the same log is imported twice', async () => {
    const { app } = await createTestApp(tempDir());
    const files = [join(LOGS, 'multi-recipient.log'), join(LOGS, 'deferred-bounced.log')];
    await importMtaLogs(files, app.deliveries, { now: NOW });
    const first = await app.deliveries.search({ limit: 1000 });
    await importMtaLogs(files, app.deliveries, { now: NOW });
    const second = await app.deliveries.search({ limit: 1000 });
    await app.close();

    const strip = (rows: typeof first) => rows.map(({ source: _s, ...r }) => r);
    expect(second).toHaveLength(first.length);
    expect(strip(second)).toEqual(strip(first));
  });

  it('finds deliveries by sender, recipient, subject words and time', async () => {
    const { app } = await createTestApp(tempDir());
    await importMtaLogs(
      [join(LOGS, 'multi-recipient.log'), join(LOGS, 'encoded-headers.log')],
      app.deliveries,
      { now: NOW },
    );
    const bySender = await app.deliveries.search({ sender: 'BILLING@sender.test' });
    const byRecipient = await app.deliveries.search({ recipient: 'carol@example.test' });
    const withSubject = (await app.deliveries.search({ limit: 100 })).filter((r) => r.subject);
    const word = withSubject[0]?.subject?.split(' ')[0] ?? 'x';
    const bySubject = await app.deliveries.search({ subject: word.toUpperCase() });
    const late = await app.deliveries.search({ afterMs: Date.UTC(2026, 11, 4, 15, 56, 32) });
    const early = await app.deliveries.search({ beforeMs: Date.UTC(2026, 11, 4, 15, 56, 32) });
    await app.close();

    expect(bySender).toHaveLength(3);
    expect(byRecipient.map((r) => r.recipient)).toEqual(['carol@example.test']);
    expect(withSubject.length).toBeGreaterThan(0);
    expect(bySubject.length).toBeGreaterThan(0);
    expect(bySubject.every((r) => r.subject?.toLowerCase().includes(word.toLowerCase()))).toBe(
      true,
    );
    expect(late.some((r) => r.recipient === 'carol@example.test')).toBe(true);
    expect(early.some((r) => r.recipient === 'carol@example.test')).toBe(false);
  });

  it('ranks messages by how many mailboxes they reached', async () => {
    const { app } = await createTestApp(tempDir());
    await importMtaLogs(
      [join(LOGS, 'multi-recipient.log'), join(LOGS, 'deferred-bounced.log')],
      app.deliveries,
      { now: NOW },
    );
    const top = await app.deliveries.widestMessages(2);
    await app.close();
    expect(top[0]).toMatchObject({
      messageId: '20261204155630.GA1234@mail.sender.test',
      recipients: 3,
    });
  });

  it('writes nothing when a later file in the list cannot be opened', async () => {
    const { app } = await createTestApp(tempDir());
    const missing = join(tempDir(), 'maillog.1');
    const failure = await importMtaLogs(
      [join(LOGS, 'multi-recipient.log'), missing],
      app.deliveries,
      { now: NOW },
    ).catch((e: unknown) => e);
    const rows = await app.deliveries.search({});
    await app.close();

    expect(failure).toMatchObject({
      code: 'TRACE_LOG_UNREADABLE',
      message: `cannot open log file ${missing}: no such file`,
    });
    expect(rows).toEqual([]);
  });

  it('says how many deliveries it stored when a gzip log turns out damaged partway', async () => {
    const dir = tempDir();
    const whole = gzipSync(readFileSync(join(LOGS, 'deferred-bounced.log')));
    const cut = join(dir, 'zimbra.log.2.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const { app } = await createTestApp(dir);
    const failure = await importMtaLogs([join(LOGS, 'multi-recipient.log'), cut], app.deliveries, {
      now: NOW,
    }).then(
      () => new Error('the import did not fail'),
      (e: unknown) => e as Error,
    );
    const rows = await app.deliveries.search({});
    await app.close();

    expect(failure).toMatchObject({ code: 'TRACE_LOG_UNREADABLE' });
    const stored = /the (\d+) deliveries read before it are stored/.exec(failure.message);
    expect(failure.message).toContain(`cannot read log file ${cut}: the gzip data is cut short`);
    expect(Number(stored?.[1])).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });
});
