import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMtaLogs, normaliseMessageId } from '../../src/trace/index.js';
import { messageIdQuery } from '../../src/zimbra/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';
import { readFixtureLines } from './parse-fixture.js';

// The cases issue 4 lists, end to end: log file → import → trace search.
// Line shapes: see test/fixtures/mta-logs/README.md for the Postfix source of each.
const LOGS = join(import.meta.dirname, '..', 'fixtures', 'mta-logs');
const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);

describe('issue 4: cases the trace must get right', () => {
  const tempDir = useTempDir();

  async function importFixtures(...names: string[]) {
    const { app } = await createTestApp(tempDir());
    const paths = names.map((name) => join(LOGS, name));
    const report = await importMtaLogs(paths, app.deliveries, { now: NOW });
    return { app, report };
  }

  it('reads a Message-ID pasted with spaces, without brackets, with its label or a CRLF as one id', async () => {
    const { app } = await importFixtures('multi-recipient.log');
    const forms = [
      ' <20261204155630.GA1234@mail.sender.test> ',
      '20261204155630.GA1234@mail.sender.test',
      'Message-ID: <20261204155630.GA1234@mail.sender.test>',
      '<20261204155630.GA1234@mail.sender.test>\r\n',
    ];
    const counts = [];
    for (const form of forms) {
      counts.push((await app.deliveries.search({ messageId: normaliseMessageId(form) })).length);
    }
    await app.close();
    expect(counts).toEqual([3, 3, 3, 3]);
  });

  it('refuses two ids in one field with a message', () => {
    expect(() => normaliseMessageId('<a@x.test> <b@x.test>')).toThrow(/more than one id/);
  });

  it('stores ids with $ ! & quotes and = exactly, and quotes them for Zimbra', async () => {
    const { app } = await importFixtures('encoded-headers.log');
    const id = normaliseMessageId(`<a$b!c&d'e=f"g@weird.test>`);
    const rows = await app.deliveries.search({ messageId: id });
    await app.close();

    expect(rows.map((r) => r.messageId)).toEqual([`a$b!c&d'e=f"g@weird.test`]);
    expect(messageIdQuery(rows[0]!.messageId!)).toBe(
      `msgid:"a$b!c&d'e=f\\"g@weird.test" is:anywhere`,
    );
  });

  it('keeps an encoded Message-ID whole, raw and decoded, and finds it by either', async () => {
    const { app } = await importFixtures('encoded-headers.log');
    const raw = '=?utf-8?Q?=3Cabc-123=40r=C3=A9seau?= =?utf-8?Q?.example.test=3E?=';
    const byRaw = await app.deliveries.search({ messageId: normaliseMessageId(raw) });
    const byDecoded = await app.deliveries.search({ messageId: 'abc-123@réseau.example.test' });
    await app.close();

    expect(byRaw).toHaveLength(1);
    expect(byDecoded).toEqual(byRaw);
    expect(byRaw[0]).toMatchObject({ messageIdRaw: raw, messageId: 'abc-123@réseau.example.test' });
  });

  it('reads submission and amavis re-injection smtpd, and counts the postfix notice as unparsed', async () => {
    const { app, report } = await importFixtures(
      'encoded-headers.log',
      'content-filter.log',
      'filter-drop.log',
    );
    const submitted = await app.deliveries.search({ recipient: 'frank@example.test' });
    const filtered = await app.deliveries.search({ recipient: 'alice@example.test' });
    await app.close();

    expect(submitted[0]).toMatchObject({
      clientAddress: '198.51.100.44',
      sender: 'eve@example.test',
    });
    expect(filtered[0]).toMatchObject({
      clientAddress: '203.0.113.66',
      queueIds: ['3A4B5C6D7E', '8F9A0B1C2D'],
    });
    expect(report.unparsed).toBe(1);
    expect(report.unparsedSample[0]).toContain('Postfix is running with backwards-compatible');
  });

  it('never makes a delivery of an rsyslog repeat notice, nor a second one', async () => {
    const dir = tempDir();
    const lines = readFixtureLines('multi-recipient.log');
    const lmtp = lines.find((l) => l.includes('to=<Alice@Example.test>'))!;
    const repeat = `${lmtp.slice(0, lmtp.indexOf(': 4F1A2B3C4D'))}: message repeated 2 times: [ ${lmtp.slice(lmtp.indexOf('4F1A2B3C4D'))}]`;
    const log = join(dir, 'repeats.log');
    writeFileSync(log, [...lines, repeat].join('\n'));
    const { app } = await createTestApp(dir);
    const report = await importMtaLogs([log], app.deliveries, { now: NOW });
    const rows = await app.deliveries.search({ limit: 100 });
    await app.close();

    expect(report.repeatedIgnored).toBe(1);
    expect(rows.map((r) => r.queueId)).not.toContain('message');
    expect(rows.filter((r) => r.recipient === 'alice@example.test')).toHaveLength(1);
  });

  it('decodes a subject whose UTF-8 character is split across two encoded words', async () => {
    const { app } = await importFixtures('encoded-headers.log');
    const rows = await app.deliveries.search({ subjectWords: 'Köln' });
    await app.close();
    expect(rows.map((r) => r.subject)).toEqual(['Grüße aus Köln']);
  });

  it('keeps mail without a Message-ID, one delivery per queue id and recipient, found by sender, subject and time', async () => {
    const { app } = await importFixtures('no-message-id.log');
    const rows = await app.deliveries.search({ sender: 'scanner@example.test' });
    const byTime = await app.deliveries.search({
      afterMs: Date.UTC(2026, 11, 4, 10, 0, 0),
      beforeMs: Date.UTC(2026, 11, 4, 10, 1, 0),
    });
    await app.close();

    expect(rows.map((r) => [r.queueId, r.recipient, r.messageId]).sort()).toEqual([
      ['7A8B9C0D1E', 'laura@example.test', null],
      ['7A8B9C0D1E', 'mike@example.test', null],
      ['8B9C0D1E2F', 'nina@example.test', null],
    ]);
    expect(byTime.map((r) => r.recipient).sort()).toEqual([
      'laura@example.test',
      'mike@example.test',
    ]);
  });

  it('marks mail handed to a filter that never passed it on, and keeps the header From', async () => {
    const { app } = await importFixtures('filter-drop.log');
    const [dropped] = await app.deliveries.search({ recipient: 'olga@example.test' });
    const [oneHost] = await app.deliveries.search({ recipient: 'pia@example.test' });
    await app.close();

    expect(dropped).toMatchObject({
      status: 'filtered',
      headerFrom: 'Zürich Billing <billing@virus.test>',
      messageId: 'eicar-1@virus.test',
    });
    expect(oneHost?.status).toBe('delivered');
  });
});
