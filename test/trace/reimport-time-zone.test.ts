import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMtaLogs } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const LOG = join(import.meta.dirname, '..', 'fixtures', 'mta-logs', 'multi-recipient.log');
const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);

// What the README says of a log imported again under another --time-zone.
// The log's three deliveries are stamped `Dec  4 15:56:32`.
describe('the same log imported again under another time zone', () => {
  const tempDir = useTempDir();

  it('is "already known" and keeps the first times while the UTC day stays the same', async () => {
    const { app } = await createTestApp(tempDir());
    await importMtaLogs([LOG], app.deliveries, { now: NOW, timeZone: 'UTC' });
    // 15:56:32 in Berlin is 14:56:32 UTC: the same day.
    const again = await importMtaLogs([LOG], app.deliveries, {
      now: NOW,
      timeZone: 'Europe/Berlin',
    });
    const rows = await app.deliveries.search({});
    await app.close();

    expect(again).toMatchObject({ added: 0, updated: 0, duplicates: 3 });
    expect(rows.map((r) => r.time)).toEqual(Array(3).fill('2026-12-04T15:56:32.000Z'));
  });

  it('stores a second copy when the times move to another UTC day', async () => {
    const { app } = await createTestApp(tempDir());
    await importMtaLogs([LOG], app.deliveries, { now: NOW, timeZone: 'UTC' });
    // 15:56:32 in Pago Pago (UTC-11) is 02:56:32 UTC the next day.
    const again = await importMtaLogs([LOG], app.deliveries, {
      now: NOW,
      timeZone: 'Pacific/Pago_Pago',
    });
    const rows = await app.deliveries.search({});
    await app.close();

    expect(again).toMatchObject({ added: 3, duplicates: 0 });
    expect(rows.map((r) => r.time)).toEqual([
      ...Array(3).fill('2026-12-05T02:56:32.000Z'),
      ...Array(3).fill('2026-12-04T15:56:32.000Z'),
    ]);
  });
});
