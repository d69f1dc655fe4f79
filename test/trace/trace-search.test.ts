import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMtaLogs, type DeliveryRecord } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const LOGS = join(import.meta.dirname, '..', 'fixtures', 'mta-logs');
const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

function record(n: number, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    timeMs: T0 + n * 60_000,
    queueId: `QA${String(n).padStart(8, '0')}`,
    queueIds: [`QA${String(n).padStart(8, '0')}`],
    messageId: `m-${n}@sender.test`,
    messageIdRaw: `<m-${n}@sender.test>`,
    sender: `s${n % 3}@sender.test`,
    recipient: `u${n % 5}@example.test`,
    originalRecipient: null,
    sizeBytes: 1000,
    clientAddress: `198.51.100.${n % 4}`,
    clientHost: 'mail.sender.test',
    subject: `Weekly report ${n}`,
    subjectRaw: `Weekly report ${n}`,
    status: 'delivered',
    dsn: '2.1.5',
    relay: null,
    detail: null,
    ...overrides,
  };
}

describe('searching the trace', () => {
  const tempDir = useTempDir();

  async function appWith(records: DeliveryRecord[]) {
    const { app } = await createTestApp(tempDir());
    await app.deliveries.upsert(records, 'test');
    return app;
  }

  it('finds an IPv6 client however the address is written, stored or searched', async () => {
    const app = await appWith([
      record(1, { clientAddress: '2001:DB8:0::25' }),
      record(2, { clientAddress: '2001:db8::26' }),
      record(3, { clientAddress: '203.0.113.25' }),
    ]);
    const typed = ['2001:db8::25', '2001:DB8::25', '2001:db8:0::25', ' 2001:0db8::0025 '];
    const found = await Promise.all(
      typed.map((clientAddress) => app.deliveries.search({ clientAddress })),
    );
    const v4 = await app.deliveries.search({ clientAddress: '203.0.113.25' });
    await app.close();

    for (const rows of found) {
      expect(rows.map((r) => [r.queueId, r.clientAddress])).toEqual([
        ['QA00000001', '2001:db8::25'],
      ]);
    }
    expect(v4.map((r) => r.queueId)).toEqual(['QA00000003']);
  });

  it('finds whole subject words whatever their case and accents', async () => {
    const app = await appWith([
      record(1, { subject: 'Grüße aus Köln' }),
      record(2, { subject: 'Kölner Dom' }),
    ]);
    const koln = await app.deliveries.search({ subjectWords: 'KOLN' });
    const prefix = await app.deliveries.search({ subjectWords: 'kol' });
    await app.close();

    expect(koln.map((r) => r.subject)).toEqual(['Grüße aus Köln']);
    expect(prefix).toEqual([]);
  });

  it('finds subject words given with ß and umlauts as the subject has them', async () => {
    const app = await appWith([record(1, { subject: 'Grüße aus Köln' })]);
    const rows = await app.deliveries.search({ subjectWords: 'GRÜSSE' });
    const exact = await app.deliveries.search({ subjectWords: 'grüße köln' });
    await app.close();

    // unicode61 folds case and accents, not ß into ss: the word as written finds it.
    expect(rows).toEqual([]);
    expect(exact).toHaveLength(1);
  });

  it('finds a subject substring whatever its case and accents', async () => {
    const app = await appWith([record(1, { subject: 'Grüße aus Köln' }), record(2)]);
    const rows = await app.deliveries.search({ subject: 'US KOL' });
    await app.close();
    expect(rows.map((r) => r.subject)).toEqual(['Grüße aus Köln']);
  });

  it('refuses a word search with no word in it, naming the field', async () => {
    const app = await appWith([record(1)]);
    const failure = app.deliveries.search({ subjectWords: '?!' }).catch((e: unknown) => e);
    expect(await failure).toMatchObject({ code: 'TRACE_BAD_SUBJECT_WORDS', field: 'subjectWords' });
    await app.close();
  });

  it('combines client address, status and time filters', async () => {
    const records = Array.from({ length: 12 }, (_, n) =>
      record(n, { status: n % 2 === 0 ? 'delivered' : 'deferred' }),
    );
    const app = await appWith(records);
    const rows = await app.deliveries.search({
      clientAddress: '198.51.100.2',
      status: 'delivered',
      afterMs: T0 + 5 * 60_000,
    });
    await app.close();
    expect(rows.map((r) => r.queueId)).toEqual(['QA00000010', 'QA00000006']);
  });

  it('pages through a search with cursors, newest first, without repeats', async () => {
    const app = await appWith(
      Array.from({ length: 7 }, (_, n) => record(n, { recipient: 'x@example.test' })),
    );
    const seen: string[] = [];
    let page = await app.deliveries.searchPage({ recipient: 'x@example.test', limit: 3 });
    seen.push(...page.deliveries.map((r) => r.queueId));
    while (page.next !== null) {
      page = await app.deliveries.searchPage({ recipient: 'x@example.test', limit: 3 }, page.next);
      seen.push(...page.deliveries.map((r) => r.queueId));
    }
    await app.close();
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => `QA0000000${n}`));
  });

  it('counts recipients per message among the matches', async () => {
    const app = await appWith([
      record(1, { messageId: 'camp@evil.test', recipient: 'a@example.test' }),
      record(2, { messageId: 'camp@evil.test', recipient: 'b@example.test' }),
      record(3, { messageId: 'one@evil.test' }),
    ]);
    const messages = await app.deliveries.messages({ subjectWords: 'weekly' });
    await app.close();
    expect(messages.map((m) => [m.messageId, m.recipients])).toEqual([
      ['camp@evil.test', 2],
      ['one@evil.test', 1],
    ]);
  });

  it('counts only delivered recipients as reached, and keeps the other statuses in view', async () => {
    const app = await appWith([
      // Discarded by the content filter for both recipients.
      record(1, { messageId: 'virus@evil.test', recipient: 'a@example.test', status: 'filtered' }),
      record(2, { messageId: 'virus@evil.test', recipient: 'b@example.test', status: 'filtered' }),
      // Bounced for one recipient first, delivered to the other later.
      record(3, { messageId: 'mixed@evil.test', recipient: 'c@example.test', status: 'bounced' }),
      record(5, { messageId: 'mixed@evil.test', recipient: 'd@example.test' }),
      record(7, { messageId: 'one@evil.test', recipient: 'e@example.test' }),
    ]);
    const messages = await app.deliveries.messages({ subjectWords: 'weekly' });
    const widest = await app.deliveries.widestMessages(10);
    await app.close();

    const byId = new Map(messages.map((m) => [m.messageId, m]));
    expect(byId.get('virus@evil.test')).toMatchObject({
      recipients: 0,
      allRecipients: 2,
      byStatus: { filtered: 2 },
      firstSeenMs: T0 + 60_000,
      firstDeliveredMs: null,
    });
    expect(byId.get('mixed@evil.test')).toMatchObject({
      recipients: 1,
      allRecipients: 2,
      byStatus: { delivered: 1, bounced: 1 },
      firstSeenMs: T0 + 3 * 60_000,
      firstDeliveredMs: T0 + 5 * 60_000,
    });
    // Most delivered first, then most recipients in all; the one that reached nobody last.
    expect(messages.map((m) => m.messageId)).toEqual([
      'mixed@evil.test',
      'one@evil.test',
      'virus@evil.test',
    ]);
    expect(widest.map((m) => [m.messageId, m.recipients])).toEqual([
      ['mixed@evil.test', 1],
      ['one@evil.test', 1],
    ]);
  });

  it('finds by recipient the mail sent to an alias or list and delivered behind it', async () => {
    const app = await appWith([
      record(1, { recipient: 'alice@example.test', originalRecipient: 'Sales@Example.test' }),
      record(2, { recipient: 'bob@example.test', originalRecipient: 'sales@example.test' }),
      record(3, { recipient: 'sales@example.test' }),
      record(4, { recipient: 'carol@example.test' }),
    ]);
    const alias = await app.deliveries.search({ recipient: 'SALES@example.test' });
    const mailbox = await app.deliveries.search({ recipient: 'bob@example.test' });
    await app.close();

    expect(alias.map((r) => r.recipient)).toEqual([
      'sales@example.test',
      'bob@example.test',
      'alice@example.test',
    ]);
    expect(alias.map((r) => r.originalRecipient)).toEqual([
      null,
      'sales@example.test',
      'sales@example.test',
    ]);
    expect(mailbox.map((r) => r.recipient)).toEqual(['bob@example.test']);
  });

  it('serves each kind of search from an index', async () => {
    const { app } = await createTestApp(tempDir());
    await importMtaLogs([join(LOGS, 'multi-recipient.log')], app.deliveries, { now: NOW });
    const plan = (filter: Parameters<typeof app.deliveries.explainSearch>[0]) =>
      app.deliveries.explainSearch(filter).then((steps) => steps.join(' | '));
    const month = { afterMs: NOW() - 30 * 86_400_000, beforeMs: NOW() };

    const plans = {
      messageId: await plan({ messageId: 'x@y.test' }),
      recipient: await plan({ recipient: 'alice@example.test', ...month }),
      sender: await plan({ sender: 'billing@sender.test', ...month }),
      subjectWords: await plan({ subjectWords: 'invoice', ...month }),
      time: await plan(month),
    };
    await app.close();

    expect(plans.messageId).toContain('USING INDEX deliveries_message_id');
    expect(plans.recipient).toContain('USING INDEX deliveries_recipient');
    expect(plans.recipient).toContain('USING INDEX deliveries_original_recipient');
    expect(plans.sender).toContain('USING INDEX deliveries_sender');
    expect(plans.subjectWords).toContain('USING INDEX deliveries_subject');
    expect(plans.time).toContain('USING INDEX deliveries_time');
    for (const steps of Object.values(plans)) expect(steps).not.toMatch(/SCAN deliveries\b/);
  });
});
