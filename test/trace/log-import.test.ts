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
    // Starts later than multi-recipient.log, so it is read second.
    const whole = gzipSync(readFileSync(join(LOGS, 'remote-filter.log')));
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

  describe('a message whose lines logrotate split between two files', () => {
    // The rotation fell between qmgr's line and the LMTP deliveries.
    const before = [
      'Dec  4 23:59:58 mta1 postfix/smtpd[10]: 7A8B9C0D1E: client=mail.evil.test[203.0.113.9]',
      'Dec  4 23:59:58 mta1 postfix/cleanup[11]: 7A8B9C0D1E: message-id=<split-1@evil.test>',
      'Dec  4 23:59:59 mta1 postfix/qmgr[12]: 7A8B9C0D1E: from=<boss@evil.test>, size=2048, nrcpt=2 (queue active)',
    ];
    const after = [
      'Dec  5 00:00:01 mta1 postfix/lmtp[13]: 7A8B9C0D1E: to=<alice@example.test>, relay=m.example.test[192.0.2.10]:7025, delay=3, delays=0/0/1/2, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)',
      'Dec  5 00:00:01 mta1 postfix/lmtp[13]: 7A8B9C0D1E: to=<bob@example.test>, relay=m.example.test[192.0.2.10]:7025, delay=3, delays=0/0/1/2, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)',
      'Dec  5 00:00:01 mta1 postfix/qmgr[12]: 7A8B9C0D1E: removed',
    ];
    const LATER = () => Date.UTC(2026, 11, 5, 12, 0, 0);

    function writeRotated(dir: string): { old: string; current: string } {
      const old = join(dir, 'zimbra.log.1');
      const current = join(dir, 'zimbra.log');
      writeFileSync(old, `${before.join('\n')}\n`);
      writeFileSync(current, `${after.join('\n')}\n`);
      return { old, current };
    }

    it('keeps its Message-ID and sender when the files are imported one after the other', async () => {
      const dir = tempDir();
      const { old, current } = writeRotated(dir);
      const { app } = await createTestApp(dir);
      await importMtaLogs([old], app.deliveries, { now: LATER });
      const second = await importMtaLogs([current], app.deliveries, { now: LATER });
      const rows = await app.deliveries.search({ messageId: 'split-1@evil.test' });
      await app.close();

      expect(second.carriedOver).toBe(1);
      expect(rows.map((r) => [r.recipient, r.sender, r.clientAddress])).toEqual([
        ['bob@example.test', 'boss@evil.test', '203.0.113.9'],
        ['alice@example.test', 'boss@evil.test', '203.0.113.9'],
      ]);
    });

    it('loses them when the carry-over is turned off', async () => {
      const dir = tempDir();
      const { old, current } = writeRotated(dir);
      const { app } = await createTestApp(dir);
      const options = { now: LATER, carryOver: false };
      await importMtaLogs([old], app.deliveries, options);
      const second = await importMtaLogs([current], app.deliveries, options);
      const rows = await app.deliveries.search({ recipient: 'alice@example.test' });
      await app.close();

      expect(second.carriedOver).toBe(0);
      expect(rows.map((r) => [r.messageId, r.sender])).toEqual([[null, '']]);
    });

    it('reads the files oldest first when given newest first, as a shell glob lists them', async () => {
      const dir = tempDir();
      const { old, current } = writeRotated(dir);
      const { app } = await createTestApp(dir);
      const report = await importMtaLogs([current, old], app.deliveries, {
        now: LATER,
        carryOver: false,
      });
      const rows = await app.deliveries.search({ messageId: 'split-1@evil.test' });
      await app.close();

      expect(report.files).toEqual([old, current]);
      expect(rows).toHaveLength(2);
    });
  });
});
