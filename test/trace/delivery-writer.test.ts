import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 11, 3, 23, 50, 0);

function record(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    timeMs: T0,
    queueId: '4F1A2B3C4D',
    queueIds: ['4F1A2B3C4D'],
    messageId: 'm-1@sender.test',
    messageIdRaw: '<m-1@sender.test>',
    sender: 'Billing@Sender.test',
    recipient: 'Alice@Example.test',
    originalRecipient: null,
    sizeBytes: 4000,
    clientAddress: '203.0.113.25',
    clientHost: 'mail.sender.test',
    subject: 'Invoice',
    subjectRaw: 'Invoice',
    status: 'delivered',
    dsn: '2.1.5',
    relay: 'mailbox.example.test[192.0.2.10]:7025',
    detail: '250 2.1.5 Delivery OK',
    ...overrides,
  };
}

describe('writing deliveries', () => {
  const tempDir = useTempDir();

  it('reports a new delivery as added and the same one again as a duplicate', async () => {
    const { app } = await createTestApp(tempDir());
    const first = await app.deliveries.upsert([record()], 'test');
    const again = await app.deliveries.upsert([record()], 'test');
    const rows = await app.deliveries.search({});
    await app.close();

    expect(first).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(again).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sender: 'billing@sender.test',
      recipient: 'alice@example.test',
    });
  });

  it('merges a deferral and the delivery a day later into one delivered row', async () => {
    const { app } = await createTestApp(tempDir());
    const deferred = record({ status: 'deferred', dsn: '4.2.0', detail: 'try again' });
    const delivered = record({ timeMs: T0 + DAY_MS + 60_000 });
    await app.deliveries.upsert([deferred], 'test');
    const counts = await app.deliveries.upsert([delivered], 'test');
    const rows = await app.deliveries.search({});
    await app.close();

    expect(counts).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(rows.map((r) => [r.status, r.timeMs])).toEqual([['delivered', T0 + DAY_MS + 60_000]]);
  });

  it('leaves a delivered row alone when its earlier deferral is imported afterwards', async () => {
    const { app } = await createTestApp(tempDir());
    await app.deliveries.upsert([record({ timeMs: T0 + DAY_MS })], 'test');
    const late = await app.deliveries.upsert([record({ status: 'deferred' })], 'test');
    const rows = await app.deliveries.search({});
    await app.close();

    expect(late).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(rows.map((r) => r.status)).toEqual(['delivered']);
  });

  it('fills in a Message-ID the first record lacked and never blanks a known one', async () => {
    const { app } = await createTestApp(tempDir());
    const bare = record({ messageId: null, messageIdRaw: null, subject: null, subjectRaw: null });
    await app.deliveries.upsert([bare], 'test');
    const filled = await app.deliveries.upsert([record()], 'test');
    const blanked = await app.deliveries.upsert([bare], 'test');
    const [row] = await app.deliveries.search({});
    await app.close();

    expect(filled.updated).toBe(1);
    expect(blanked.unchanged).toBe(1);
    expect(row).toMatchObject({ messageId: 'm-1@sender.test', subject: 'Invoice' });
  });

  it('takes the longer queue id chain with the client of its first hop', async () => {
    const { app } = await createTestApp(tempDir());
    const reinjected = record({ queueIds: ['4F1A2B3C4D'], clientAddress: '127.0.0.1' });
    const chained = record({ queueIds: ['0A0B0C0D0E', '4F1A2B3C4D'] });
    await app.deliveries.upsert([reinjected, chained], 'test');
    const [row] = await app.deliveries.search({});
    await app.close();

    expect(row).toMatchObject({
      queueIds: ['0A0B0C0D0E', '4F1A2B3C4D'],
      clientAddress: '203.0.113.25',
    });
  });

  it('takes the real client over a loopback one along a chain of the same length', async () => {
    const { app } = await createTestApp(tempDir());
    const chain = ['0A0B0C0D0E', '4F1A2B3C4D'];
    // Read before the file with the first hop's client= line: only the re-injection was known.
    const early = record({ queueIds: chain, clientAddress: '127.0.0.1', clientHost: 'localhost' });
    const whole = record({ queueIds: chain });
    const later = record({ queueIds: chain, clientAddress: '::1', clientHost: 'localhost' });
    const first = await app.deliveries.upsert([early], 'test');
    const second = await app.deliveries.upsert([whole], 'test');
    const third = await app.deliveries.upsert([later], 'test');
    const [row] = await app.deliveries.search({});
    await app.close();

    expect([first.added, second.updated, third.updated]).toEqual([1, 1, 0]);
    expect(row).toMatchObject({ clientAddress: '203.0.113.25', clientHost: 'mail.sender.test' });
  });

  it('keeps a queue id reused weeks later for the same recipient as a second delivery', async () => {
    const { app } = await createTestApp(tempDir());
    await app.deliveries.upsert([record({ status: 'deferred' })], 'test');
    const reused = record({ timeMs: T0 + 30 * DAY_MS, messageId: 'other@sender.test' });
    const counts = await app.deliveries.upsert([reused], 'test');
    const rows = await app.deliveries.search({});
    await app.close();

    expect(counts.added).toBe(1);
    expect(rows.map((r) => r.messageId)).toEqual(['other@sender.test', 'm-1@sender.test']);
  });

  it('writes batches on the writer thread in the order they were sent', async () => {
    const { app } = await createTestApp(tempDir());
    const writer = app.deliveries.openWriter();
    const deferred = writer.write([record({ status: 'deferred' })], 'test');
    const delivered = writer.write([record({ timeMs: T0 + 60_000 })], 'test');
    const counts = await Promise.all([deferred, delivered]);
    await writer.close();
    const rows = await app.deliveries.search({});
    await app.close();

    expect(counts).toEqual([
      { added: 1, updated: 0, unchanged: 0 },
      { added: 0, updated: 1, unchanged: 0 },
    ]);
    expect(rows.map((r) => r.status)).toEqual(['delivered']);
  });

  it('writes every batch sent before close, each answered with its own counts', async () => {
    const { app } = await createTestApp(tempDir());
    const writer = app.deliveries.openWriter();
    // Sent without waiting: the batches queue behind one another on the thread.
    const written = Array.from({ length: 6 }, (_, i) =>
      writer.write(
        [
          record({ queueId: `Q${i}`, recipient: 'alice@example.test' }),
          record({ queueId: `Q${i}`, recipient: `user${i}@example.test` }),
          record({ queueId: 'Q0', recipient: 'alice@example.test' }),
        ],
        'test',
      ),
    );
    const closed = writer.close();
    const counts = await Promise.all(written);
    await closed;
    const rows = await app.deliveries.search({ limit: 100 });
    await app.close();

    // Each batch adds its two and finds Q0 to alice already there.
    expect(counts).toEqual(Array(6).fill({ added: 2, updated: 0, unchanged: 1 }));
    expect(rows).toHaveLength(12);
  });
});
