import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNdjsonFiles, ingestDeliveries, MAX_INGEST_RECORDS } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

function delivery(n: number, overrides: Record<string, unknown> = {}) {
  return {
    sourceId: `gw-${n}`,
    time: `2026-12-04T10:0${n}:00Z`,
    messageId: `<gw-${n}@partner.test>`,
    sender: 'news@partner.test',
    recipient: `user${n}@example.test`,
    subject: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
    clientAddress: '198.51.100.7',
    status: 'delivered',
    ...overrides,
  };
}

describe('ingesting deliveries from other gateways', () => {
  const tempDir = useTempDir();

  it('stores an IPv6 client address in the form a search finds', async () => {
    const { app } = await createTestApp(tempDir());
    await ingestDeliveries([delivery(1, { clientAddress: '2001:DB8:0:0::25' })], app.deliveries, {
      source: 'api:gw',
    });
    const [row] = await app.deliveries.search({ clientAddress: '2001:db8::25' });
    await app.close();

    expect(row?.clientAddress).toBe('2001:db8::25');
  });

  it('stores valid records, decoded, and changes nothing when they are sent again', async () => {
    const { app } = await createTestApp(tempDir());
    const first = await ingestDeliveries([delivery(1), delivery(2)], app.deliveries, {
      source: 'api:gw',
    });
    const again = await ingestDeliveries([delivery(1), delivery(2)], app.deliveries, {
      source: 'api:gw',
    });
    const [row] = await app.deliveries.search({ messageId: 'gw-1@partner.test' });
    await app.close();

    expect(first).toEqual({ received: 2, added: 2, updated: 0, duplicates: 0 });
    expect(again).toEqual({ received: 2, added: 0, updated: 0, duplicates: 2 });
    expect(row).toMatchObject({
      queueId: 'ext:gw-1',
      subject: 'Grüße',
      subjectRaw: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
      timeMs: Date.UTC(2026, 11, 4, 10, 1, 0),
      source: 'api:gw',
    });
  });

  it('updates a delivery the gateway reported deferred once it reports it delivered', async () => {
    const { app } = await createTestApp(tempDir());
    await ingestDeliveries([delivery(1, { status: 'deferred' })], app.deliveries, {
      source: 'api:gw',
    });
    const later = delivery(1, { time: '2026-12-04T11:00:00Z' });
    const report = await ingestDeliveries([later], app.deliveries, { source: 'api:gw' });
    const rows = await app.deliveries.search({});
    await app.close();

    expect(report.updated).toBe(1);
    expect(rows.map((r) => r.status)).toEqual(['delivered']);
  });

  it('refuses a call with a bad record, naming the field, and stores none of it', async () => {
    const { app } = await createTestApp(tempDir());
    const bad = [
      delivery(1),
      delivery(2, { recipient: 'not an address' }),
      delivery(3, { time: 'yesterday' }),
    ];
    const failure = await ingestDeliveries(bad, app.deliveries, { source: 'api:gw' }).catch(
      (e: unknown) => e,
    );
    const rows = await app.deliveries.search({});
    await app.close();

    expect(failure).toMatchObject({ code: 'TRACE_BAD_DELIVERY', field: 'records[1].recipient' });
    expect((failure as Error).message).toContain('records[2].time');
    expect(rows).toEqual([]);
  });

  it('says a field left out is required, and what a field of the wrong kind must be', async () => {
    const { app } = await createTestApp(tempDir());
    const { time: _time, sender: _sender, ...partial } = delivery(1);
    const bad = [null, partial, delivery(2, { sizeBytes: 'big', time: true, status: 'sent' })];
    const failure = await ingestDeliveries(bad, app.deliveries, { source: 'api:gw' }).catch(
      (e: unknown) => e,
    );
    await app.close();

    expect(failure).toMatchObject({ code: 'TRACE_BAD_DELIVERY', field: 'records[0]' });
    expect((failure as Error).message).toBe(
      [
        'records[0]: must be a JSON object (one delivery), not null',
        'records[1].time: required',
        'records[1].sender: required',
        'records[2].time: must be an ISO 8601 date-time with its offset, such as 2026-12-04T10:00:00Z, or ms since epoch',
        'records[2].sizeBytes: must be a number, not a string',
      ].join('; ') + '; and 1 more',
    );
  });

  it('refuses a Message-ID field that holds two ids', async () => {
    const { app } = await createTestApp(tempDir());
    const two = delivery(1, { messageId: '<a@x.test> <b@x.test>' });
    const failure = await ingestDeliveries([two], app.deliveries, { source: 'api:gw' }).catch(
      (e: unknown) => e,
    );
    await app.close();
    expect(failure).toMatchObject({ field: 'records[0].messageId' });
  });

  it('refuses more records than one call may carry', async () => {
    const { app } = await createTestApp(tempDir());
    const many = Array.from({ length: MAX_INGEST_RECORDS + 1 }, () => ({}));
    const failure = await ingestDeliveries(many, app.deliveries, { source: 'api:gw' }).catch(
      (e: unknown) => e,
    );
    await app.close();
    expect(failure).toMatchObject({ code: 'TRACE_TOO_MANY_DELIVERIES', field: 'records' });
  });

  it('imports an NDJSON file, counting and sampling the lines it cannot take', async () => {
    const dir = tempDir();
    const file = join(dir, 'gateway.ndjson');
    const lines = [
      JSON.stringify(delivery(1)),
      '',
      '{not json',
      JSON.stringify(delivery(2, { status: 'lost' })),
      JSON.stringify(delivery(3, { recipient: undefined })),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { app } = await createTestApp(dir);
    const report = await importNdjsonFiles([file], app.deliveries);
    const rows = await app.deliveries.search({});
    await app.close();

    expect(report).toMatchObject({ lines: 5, deliveries: 1, added: 1, unparsed: 3 });
    expect(report.unparsedSample).toEqual([
      `${file}:3: not JSON`,
      expect.stringContaining(`${file}:4: record.status`),
      `${file}:5: record.recipient: required`,
    ]);
    expect(rows.map((r) => r.source)).toEqual([`ndjson:${file}`]);
  });

  it('cuts a long problem in the NDJSON sample to 500 characters', async () => {
    const dir = tempDir();
    const file = join(dir, 'junk.ndjson');
    const junkKey = 'k'.repeat(100_000);
    writeFileSync(file, `${JSON.stringify({ ...delivery(1), [junkKey]: 1 })}\n`);
    const { app } = await createTestApp(dir);
    const report = await importNdjsonFiles([file], app.deliveries);
    await app.close();

    expect(report.unparsed).toBe(1);
    const [sample] = report.unparsedSample;
    expect(sample).toHaveLength(500);
    expect(sample?.startsWith(`${file}:1: record: Unrecognized key: "kkkk`)).toBe(true);
    expect(sample).toMatch(/k… \(\d+ characters\)$/);
  });

  it('numbers the lines of each NDJSON file from its own first line', async () => {
    const dir = tempDir();
    const first = join(dir, 'monday.ndjson');
    const second = join(dir, 'tuesday.ndjson');
    writeFileSync(first, `${JSON.stringify(delivery(1))}\n${JSON.stringify(delivery(2))}\n`);
    writeFileSync(second, `${JSON.stringify(delivery(3))}\n{not json\n`);
    const { app } = await createTestApp(dir);
    const report = await importNdjsonFiles([first, second], app.deliveries);
    await app.close();

    expect(report).toMatchObject({ lines: 4, deliveries: 3, unparsed: 1 });
    expect(report.unparsedSample).toEqual([`${second}:2: not JSON`]);
  });
});
