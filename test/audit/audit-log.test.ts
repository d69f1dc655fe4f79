import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/index.js';
import { DEFAULT_TENANT_ID, openSqliteStore } from '../../src/store/index.js';
import { useTempDir } from '../helpers/temp-dir.js';

describe('AuditLog', () => {
  const tempDir = useTempDir();

  async function logWithEntries(path: string) {
    const store = await openSqliteStore({ path });
    let t = 1_000;
    const audit = new AuditLog(store, DEFAULT_TENANT_ID, () => (t += 1));
    await audit.append({ actor: 'ann', action: 'domain.add', target: 'example.com' });
    await audit.append({
      actor: 'bob',
      action: 'retraction.create',
      target: 'r1',
      details: { n: 3 },
    });
    await audit.append({ actor: 'ann', action: 'retraction.restore', target: 'r1' });
    return { store, audit };
  }

  it('chains entries so that verify passes on an untouched log', async () => {
    const { store, audit } = await logWithEntries(join(tempDir(), 'a.db'));
    const check = await audit.verify();
    const listed = await audit.list();
    await store.close();

    expect(check).toEqual({ ok: true, entries: 3, brokenAtSeq: null });
    expect(listed.map((e) => e.action)).toEqual([
      'retraction.restore',
      'retraction.create',
      'domain.add',
    ]);
    expect(listed[1]?.details).toEqual({ n: 3 });
  });

  it('finds an entry edited behind the application', async () => {
    const path = join(tempDir(), 'a.db');
    const { store } = await logWithEntries(path);
    await store.close();

    const raw = new SQLite(path);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
    raw.close();

    const reopened = await openSqliteStore({ path });
    const check = await new AuditLog(reopened, DEFAULT_TENANT_ID).verify();
    await reopened.close();
    expect(check).toEqual({ ok: false, entries: 3, brokenAtSeq: 2 });
  });

  it('finds an entry removed behind the application', async () => {
    const path = join(tempDir(), 'a.db');
    const { store } = await logWithEntries(path);
    await store.close();

    const raw = new SQLite(path);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    raw.close();

    const reopened = await openSqliteStore({ path });
    const check = await new AuditLog(reopened, DEFAULT_TENANT_ID).verify();
    await reopened.close();
    expect(check).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});
