import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packRow } from '../../src/store/delivery-row-pack.js';
import type { DeliveryWriteRow } from '../../src/store/index.js';
import { DEFAULT_TENANT_ID, openSqliteStore } from '../../src/store/index.js';
import { SqliteDeliveryWriter } from '../../src/store/sqlite-delivery-writer.js';
import { openDatabaseFile } from '../../src/store/sqlite-file.js';
import { useTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

function row(queueId: string, overrides: Partial<DeliveryWriteRow> = {}): DeliveryWriteRow {
  return {
    time_ms: T0,
    message_id: `${queueId}@sender.test`,
    message_id_raw: null,
    queue_id: queueId,
    queue_ids: JSON.stringify([queueId]),
    sender: 'billing@sender.test',
    header_from: null,
    recipient: 'alice@example.test',
    original_recipient: null,
    size_bytes: 4000,
    client_address: '203.0.113.25',
    client_host: 'mail.sender.test',
    subject: `Invoice ${queueId}`,
    subject_raw: null,
    status: 'delivered',
    dsn: '2.1.5',
    relay: 'mailbox.example.test[192.0.2.10]:7025',
    detail: '250 2.1.5 Delivery OK',
    source: 'test',
    ...overrides,
  };
}

/** The writer thread's side, on this thread, over a migrated file. */
async function openWriter(dir: string) {
  const path = join(dir, 'retract.db');
  await (await openSqliteStore({ path })).close();
  const db = openDatabaseFile(path);
  const writer = new SqliteDeliveryWriter(db, DEFAULT_TENANT_ID, () => T0);
  const stored = () =>
    db.prepare('SELECT queue_id, status FROM deliveries ORDER BY queue_id').all();
  const subjects = () =>
    db.prepare('SELECT subject FROM trace_subjects ORDER BY subject').pluck().all();
  return { db, writer, stored, subjects };
}

describe('SQLite delivery writer, several batches in one transaction', () => {
  const tempDir = useTempDir();

  it('answers each batch with what that batch changed, in order', async () => {
    const { db, writer, stored } = await openWriter(tempDir());
    const counts = writer.writePackedBatches([
      () => [packRow(row('A1', { status: 'deferred' })), packRow(row('B2'))],
      () => [packRow(row('A1', { time_ms: T0 + 60_000 }))],
      () => [packRow(row('B2')), packRow(row('C3'))],
    ]);
    const rows = stored();
    db.close();

    expect(counts).toEqual([
      { added: 2, updated: 0, unchanged: 0 },
      { added: 0, updated: 1, unchanged: 0 },
      { added: 1, updated: 0, unchanged: 1 },
    ]);
    expect(rows).toEqual([
      { queue_id: 'A1', status: 'delivered' },
      { queue_id: 'B2', status: 'delivered' },
      { queue_id: 'C3', status: 'delivered' },
    ]);
  });

  it('writes none of the batches when a later one fails, and can write again after', async () => {
    const { db, writer, stored, subjects } = await openWriter(tempDir());
    const broken = packRow(row('D4', { status: null as unknown as string }));
    expect(() =>
      writer.writePackedBatches([() => [packRow(row('A1'))], () => [packRow(row('B2')), broken]]),
    ).toThrow(/NOT NULL/);
    expect(stored()).toEqual([]);
    expect(subjects()).toEqual([]);

    // The subject ids the failed transaction made were forgotten with it.
    const counts = writer.writePackedBatches([() => [packRow(row('A1'))]]);
    const rows = stored();
    const names = subjects();
    db.close();

    expect(counts).toEqual([{ added: 1, updated: 0, unchanged: 0 }]);
    expect(rows).toEqual([{ queue_id: 'A1', status: 'delivered' }]);
    expect(names).toEqual(['Invoice A1']);
  });
});
