import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importMtaLogs,
  ingestDeliveries,
  parseTimeInput,
  readAddressFilter,
  type DeliveryRecord,
} from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

// Found by trying the trace as a new user would: far-off times, gateways
// reusing MTA queue ids, stale reports, empty and bracketed filters.
const NOW_MS = Date.UTC(2026, 11, 4, 18, 0, 0);
const now = () => NOW_MS;

function gateway(overrides: Record<string, unknown> = {}) {
  return {
    sourceId: 'gw-1',
    time: '2026-12-04T12:05:00Z',
    messageId: '<dup1@partner.test>',
    sender: 'news@partner.test',
    recipient: 'alice@example.test',
    status: 'delivered',
    ...overrides,
  };
}

const MTA_LOG = [
  '2026-12-04T10:00:00Z mta1 postfix/smtpd[11]: 5DEF456ABC: client=mx.evil.example[203.0.113.9]',
  '2026-12-04T10:00:00Z mta1 postfix/cleanup[12]: 5DEF456ABC: message-id=<abc1@evil.example>',
  '2026-12-04T10:00:00Z mta1 postfix/qmgr[13]: 5DEF456ABC: from=<bad@evil.example>, size=900, nrcpt=1 (queue active)',
  '2026-12-04T10:00:01Z mta1 postfix/lmtp[14]: 5DEF456ABC: to=<alice@example.test>, relay=mailbox.example.test[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)',
  '2026-12-04T10:00:01Z mta1 postfix/qmgr[13]: 5DEF456ABC: removed',
  '2026-12-04T11:00:00Z mta1 postfix/qmgr[13]: 6AB0000001: from=<>, size=2000, nrcpt=1 (queue active)',
  '2026-12-04T11:00:01Z mta1 postfix/lmtp[14]: 6AB0000001: to=<bob@example.test>, relay=mailbox.example.test[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)',
  '2300-01-01T00:00:00Z mta1 postfix/qmgr[13]: 7FAR000001: from=<far@evil.example>, size=1, nrcpt=1 (queue active)',
  '2026-02-30T10:00:00Z mta1 postfix/qmgr[13]: 8BAD000001: from=<feb@evil.example>, size=1, nrcpt=1 (queue active)',
].join('\n');

describe('the trace against odd input', () => {
  const tempDir = useTempDir();

  async function withLog() {
    const dir = tempDir();
    const { app } = await createTestApp(dir);
    const path = join(dir, 'zimbra.log');
    writeFileSync(path, `${MTA_LOG}\n`);
    const report = await importMtaLogs([path], app.deliveries, { now });
    return { app, report };
  }

  it('counts log lines dated far ahead or on no calendar day as unparsed', async () => {
    const { app, report } = await withLog();
    await app.close();

    expect(report.unparsed).toBe(2);
    expect(report.unparsedSample.join('\n')).toContain('2300-01-01');
    expect(report.unparsedSample.join('\n')).toContain('2026-02-30');
  });

  it('refuses gateway times without an offset, before 2000, far ahead or on no calendar day', async () => {
    const { app } = await createTestApp(tempDir());
    const times = [
      '2026-12-04T12:00:00',
      '1999-12-31T23:59:59Z',
      99_999_999_999_999,
      '2026-02-30T12:00:00Z',
    ];
    for (const time of times) {
      await expect(
        ingestDeliveries([gateway({ time })], app.deliveries, { source: 'api:gw', now }),
        String(time),
      ).rejects.toMatchObject({ code: 'TRACE_BAD_DELIVERY', field: 'records[0].time' });
    }
    const rows = await app.deliveries.search({});
    await app.close();
    expect(rows).toEqual([]);
  });

  it('keeps searching by Message-ID when a stored row is centuries away from the rest', async () => {
    const { app } = await withLog();
    const far: DeliveryRecord = {
      timeMs: Date.UTC(2300, 0, 1),
      queueId: 'FAR0000001',
      queueIds: ['FAR0000001'],
      messageId: 'far@evil.example',
      messageIdRaw: '<far@evil.example>',
      sender: 'far@evil.example',
      recipient: 'carol@example.test',
      originalRecipient: null,
      sizeBytes: null,
      clientAddress: null,
      clientHost: null,
      subject: null,
      subjectRaw: null,
      status: 'delivered',
      dsn: null,
      relay: null,
      detail: null,
    };
    // Written past the checks, as a database from an older version could hold it.
    await app.deliveries.upsert([far], 'old');
    const rows = await app.deliveries.search({ messageId: 'abc1@evil.example' });
    await app.close();

    expect(rows.map((r) => r.recipient)).toEqual(['alice@example.test']);
  });

  it('never lets a gateway id overwrite a delivery read from the MTA log', async () => {
    const { app } = await withLog();
    await ingestDeliveries(
      [gateway({ sourceId: '5DEF456ABC', status: 'bounced', messageId: '<abc1@evil.example>' })],
      app.deliveries,
      { source: 'api:gw', now },
    );
    const recipients = await app.deliveries.recipientsOf('abc1@evil.example');
    const rows = await app.deliveries.search({ messageId: 'abc1@evil.example' });
    await app.close();

    expect(recipients).toEqual(['alice@example.test']);
    expect(rows.map((r) => [r.queueId, r.status]).sort()).toEqual([
      ['5DEF456ABC', 'delivered'],
      ['ext:5DEF456ABC', 'bounced'],
    ]);
  });

  it('keeps a delivered delivery delivered when a stale deferral arrives after it', async () => {
    const { app } = await createTestApp(tempDir());
    await ingestDeliveries([gateway()], app.deliveries, { source: 'api:gw', now });
    const stale = gateway({ status: 'deferred', time: '2026-12-04T12:06:00Z' });
    const report = await ingestDeliveries([stale], app.deliveries, { source: 'api:gw', now });
    const both = await ingestDeliveries(
      [gateway({ sourceId: 'gw-2' }), gateway({ sourceId: 'gw-2', status: 'deferred' })],
      app.deliveries,
      { source: 'api:gw', now },
    );
    const rows = await app.deliveries.search({});
    await app.close();

    expect(report).toMatchObject({ updated: 0, duplicates: 1 });
    expect(both.added).toBe(1);
    expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered']);
  });

  it('takes a gateway report of the same delivery with its time moved to another day as an update', async () => {
    const { app } = await createTestApp(tempDir());
    await ingestDeliveries([gateway()], app.deliveries, { source: 'api:gw', now });
    const moved = gateway({ time: '2026-12-02T23:59:00Z' });
    const later = gateway({ time: '2026-12-03T08:00:00Z' });
    await ingestDeliveries([moved, later], app.deliveries, { source: 'api:gw', now });
    const rows = await app.deliveries.search({});
    await app.close();

    expect(rows).toHaveLength(1);
    expect(rows[0]!.time).toBe('2026-12-04T12:05:00.000Z');
  });

  it('finds the null sender by <> and a sender written with angle brackets', async () => {
    const { app } = await withLog();
    const bounces = await app.deliveries.search({ sender: readAddressFilter('<>', 'sender') });
    const bracketed = await app.deliveries.search({
      sender: readAddressFilter(' <Bad@Evil.example> ', 'sender'),
    });
    await app.close();

    expect(bounces.map((r) => r.recipient)).toEqual(['bob@example.test']);
    expect(bracketed.map((r) => r.recipient)).toEqual(['alice@example.test']);
    expect(() => readAddressFilter('  ', 'sender')).toThrow(
      expect.objectContaining({ code: 'TRACE_EMPTY_FILTER', field: 'sender' }),
    );
  });

  it('refuses a typed date that is on no calendar', () => {
    expect(() => parseTimeInput('2026-02-30', 'after', NOW_MS)).toThrow(
      expect.objectContaining({ code: 'INPUT_BAD_TIME', field: 'after' }),
    );
    expect(parseTimeInput('2024-02-29', 'after', NOW_MS)).toBe(Date.UTC(2024, 1, 29));
  });

  it('stores a gateway sender as the log import does: bare, lower case, <> as the null sender', async () => {
    const { app } = await createTestApp(tempDir());
    await ingestDeliveries(
      [
        gateway({
          sourceId: 'gw-a',
          sender: ' <Evil@GW.example> ',
          recipient: '<Ann@Example.test>',
        }),
        gateway({ sourceId: 'gw-b', sender: '<>' }),
      ],
      app.deliveries,
      { source: 'api:gw', now },
    );
    const { sender: _omitted, ...noSender } = gateway({ sourceId: 'gw-c' });
    const refused = ingestDeliveries([noSender], app.deliveries, { source: 'api:gw', now });
    const evil = await app.deliveries.search({ sender: 'evil@gw.example' });
    const bounces = await app.deliveries.search({ sender: '' });
    await app.close();

    expect(evil.map((r) => r.recipient)).toEqual(['ann@example.test']);
    expect(bounces.map((r) => r.queueId)).toEqual(['ext:gw-b']);
    await expect(refused).rejects.toMatchObject({ field: 'records[0].sender' });
  });
});
