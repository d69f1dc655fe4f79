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
