import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, openSqliteStore } from '../../src/store/index.js';
import { useTempDir } from '../helpers/temp-dir.js';

describe('SQLite store', () => {
  const tempDir = useTempDir();

  it('creates the schema and the default tenant in a new file', async () => {
    const path = join(tempDir(), 'nested', 'retract.db');
    const store = await openSqliteStore({ path, now: () => 1_700_000_000_000 });
    const tenants = await store.db.selectFrom('tenants').selectAll().execute();
    await store.close();

    expect(tenants).toEqual([
      { id: DEFAULT_TENANT_ID, name: 'Default', plan: 'enterprise', created_at: 1_700_000_000_000 },
    ]);
    const tables = new SQLite(path)
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_log',
        'deliveries',
        'domains',
        'mailbox_tasks',
        'retractions',
        'tenants',
      ]),
    );
  });

  it('opens an existing file again without re-running migrations or losing rows', async () => {
    const path = join(tempDir(), 'retract.db');
    const first = await openSqliteStore({ path });
    await first.db
      .insertInto('tenants')
      .values({ id: 'other', name: 'Other', plan: 'basic', created_at: 1 })
      .execute();
    await first.close();

    const second = await openSqliteStore({ path });
    const ids = await second.db.selectFrom('tenants').select('id').orderBy('id').execute();
    await second.close();
    expect(ids.map((r) => r.id)).toEqual([DEFAULT_TENANT_ID, 'other']);
  });

  it('lower-cases the original recipients stored before 0006 and indexes them', async () => {
    const path = join(tempDir(), 'retract.db');
    await (await openSqliteStore({ path })).close();
    // Take the file back to where 0005 left it, with an alias logged as written.
    const raw = new SQLite(path);
    raw.exec(`DROP INDEX deliveries_original_recipient;
      DELETE FROM kysely_migration WHERE name = '0006-original-recipient';`);
    raw
      .prepare(
        `INSERT INTO deliveries (tenant_id, time_ms, time_bucket, queue_id, queue_ids, sender,
           recipient, original_recipient, status, source, imported_at)
         VALUES (?, 0, 0, ?, ?, '', ?, ?, 'delivered', 'test', 0)`,
      )
      .run(DEFAULT_TENANT_ID, 'Q1', '["Q1"]', 'a@example.test', 'Sales@Example.TEST');
    raw.close();

    await (await openSqliteStore({ path })).close();
    const after = new SQLite(path);
    const row = after.prepare('SELECT original_recipient FROM deliveries').get();
    const index = after
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'deliveries_original_recipient'")
      .get() as { sql: string } | undefined;
    after.close();
    expect(row).toEqual({ original_recipient: 'sales@example.test' });
    expect(index?.sql).toContain('WHERE original_recipient IS NOT NULL');
  });

  it('refuses to update or delete audit rows', async () => {
    const store = await openSqliteStore({ path: join(tempDir(), 'retract.db') });
    await store.db
      .insertInto('audit_log')
      .values({
        tenant_id: DEFAULT_TENANT_ID,
        at_ms: 1,
        actor: 'a',
        action: 'x',
        target: 't',
        details: '{}',
        prev_hash: '0',
        hash: '1',
      })
      .execute();

    await expect(
      store.db.updateTable('audit_log').set({ actor: 'mallory' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await store.close();
  });

  it('reports a database path it cannot open with STORE_OPEN_FAILED', async () => {
    const dir = tempDir();
    await expect(openSqliteStore({ path: dir })).rejects.toMatchObject({
      code: 'STORE_OPEN_FAILED',
    });
  });
});
